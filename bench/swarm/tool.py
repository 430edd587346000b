#!/usr/bin/env python3
"""Helpers for bench/swarm/run.sh (loopback and the local Docker socket only).

  tool.py wait-ready KIND NAME COUNT TIMEOUT_S T0
      Polls (every 100 ms, at most TIMEOUT_S) the Swarm tasks of NAME — KIND `service`: one Swarm
      service (docker stack deploy's STACK_app); KIND `stack`: every Swarm service labelled
      berth.stack=NAME (Berth's one service per replica) — and GETs /healthz on each running task's
      IPv4 host port (127.0.0.1, 1 s timeout). When COUNT distinct tasks answer 200, prints the
      seconds since T0 (a `date +%s.%N` taken just before the deploy command) and exits 0; else
      prints "timeout N" (N tasks answered) and exits 1.
  tool.py deploy-report TSV
      Markdown table of the first-deploy runs (medians, min, max, ratio to Berth) on stdout.
"""
import http.client
import json
import socket
import statistics
import sys
import time
import urllib.parse


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=5):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock = s


def docker(path):
    c = UnixHTTPConnection("/var/run/docker.sock")
    try:
        c.request("GET", "/v1.41" + path)
        r = c.getresponse()
        body = r.read()
        if r.status >= 400:
            return None
        return json.loads(body)
    finally:
        c.close()


def q(filters):
    return urllib.parse.quote(json.dumps(filters))


def service_ids(kind, name):
    if kind == "service":
        return [name]
    services = docker(f"/services?filters={q({'label': [f'berth.stack={name}']})}") or []
    return [s["ID"] for s in services]


def task_ports(kind, name):
    ids = service_ids(kind, name)
    if not ids:
        return {}
    tasks = docker(f"/tasks?filters={q({'service': ids, 'desired-state': ['running']})}") or []
    ports = {}
    for t in tasks:
        if t.get("Status", {}).get("State") != "running":
            continue
        cid = (t["Status"].get("ContainerStatus") or {}).get("ContainerID")
        c = docker(f"/containers/{cid}/json") if cid else None
        if not c:
            continue
        # PortStatus lists IPv4 and IPv6 ports, which can differ on engine 20.10: use the IPv4 binding.
        for b in (c.get("NetworkSettings", {}).get("Ports") or {}).get("8080/tcp") or []:
            if b.get("HostIp") in ("0.0.0.0", "") and b.get("HostPort"):
                ports[t["ID"]] = int(b["HostPort"])
    return ports


def answers(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        c.request("GET", "/healthz")
        return c.getresponse().status == 200
    except OSError:
        return False
    finally:
        c.close()


def wait_ready(kind, name, count, timeout_s, t0):
    count, deadline = int(count), time.time() + float(timeout_s)
    ok = set()
    while time.time() < deadline:
        ports = task_ports(kind, name)
        ok = {task for task, port in ports.items() if answers(port)}
        if len(ok) >= count:
            print(f"{time.time() - float(t0):.3f}")
            return
        time.sleep(0.1)
    print(f"timeout {len(ok)}")
    raise SystemExit(1)


def deploy_report(tsv):
    rows = [line.rstrip("\n").split("\t") for line in open(tsv)][1:]
    targets = []
    for r in rows:
        if r[0] not in targets:
            targets.append(r[0])
    out = ["| target | runs (ok) | all replicas answer: median (s) | min | max | deploy command returned: median (s) |",
           "|---|---|---|---|---|---|"]
    med = {}
    for t in targets:
        rs = [r for r in rows if r[0] == t]
        ready = [float(r[3]) for r in rs if r[2] == "0"]
        cmd = [float(r[4]) for r in rs if r[4] not in ("", "-")]
        med[t] = statistics.median(ready) if ready else None
        fmt = lambda v: "–" if v is None else f"{v:.2f}"
        out.append(f"| {t} | {len(rs)} ({len(ready)}) | {fmt(med[t])} | {fmt(min(ready) if ready else None)} | "
                   f"{fmt(max(ready) if ready else None)} | {fmt(statistics.median(cmd) if cmd else None)} |")
    base = next((t for t in targets if t.startswith("Berth")), None)
    if base and med.get(base):
        out.append("")
        out.append("Ratio of the medians, to Berth: " + ", ".join(
            f"{t} {med[t] / med[base]:.2f}×" for t in targets if med.get(t)))
    out.append("\n<details><summary>raw runs (first deploy)</summary>\n")
    out.append("| target | run | rc | all answer (s) | command (s) | load1 before |")
    out.append("|---|---|---|---|---|---|")
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    out.append("\n</details>")
    print("\n".join(out))


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    if sys.argv[1] == "wait-ready" and len(sys.argv) == 7:
        wait_ready(*sys.argv[2:])
    elif sys.argv[1] == "deploy-report":
        deploy_report(sys.argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

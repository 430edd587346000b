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
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import docker_api  # noqa: E402  (bench/lib/docker_api.py)


def service_ids(kind, name):
    if kind == "service":
        return [name]
    services = docker_api.get_or_none(f"/services?filters={docker_api.filters({'label': [f'berth.stack={name}']})}") or []
    return [s["ID"] for s in services]


def task_ports(kind, name):
    """{task ID: IPv4 host port} of the running tasks; {} when the engine answers an error."""
    ids = service_ids(kind, name)
    if not ids:
        return {}
    tasks = docker_api.get_or_none(f"/tasks?filters={docker_api.filters({'service': ids, 'desired-state': ['running']})}") or []
    ports = {}
    for t in tasks:
        port = docker_api.task_host_port(t)
        if port:
            ports[t["ID"]] = port
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

#!/usr/bin/env python3
"""Helpers for bench/rollout/run.sh (loopback and the local Docker socket only).

  tool.py swarm-ports SERVICE
      IPv4 host ports (one per line, sorted) of the service's tasks that Swarm reports `running`
      with desired state `running` (with a healthcheck, `running` means the healthcheck passed;
      tasks being shut down have desired state `shutdown` and are left out).
  tool.py swarm-update SERVICE     -> "STATE SECONDS" from the service's UpdateStatus (StartedAt..CompletedAt)
  tool.py berth-rollout URL        -> "STATE SECONDS" from Berth's GET .../rollout (startedAt..updatedAt)
  tool.py wrk-result FILE          -> "requests non2xx connect read write timeout p50_ms p99_ms" from wrk.lua's RESULT line
  tool.py report TSV               -> markdown tables (medians, failure %, ratios Swarm/Berth) on stdout
"""
import json
import os
import re
import sys
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in bench/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import docker_api  # noqa: E402  (bench/lib/docker_api.py)
from report_values import med, num, parse_time  # noqa: E402  (bench/lib/report_values.py)


def docker(path):
    """GET path from the Engine API; exits with "GET PATH: STATUS BODY" on HTTP >= 400."""
    try:
        return docker_api.get(path)
    except docker_api.DockerApiError as e:
        raise SystemExit(str(e))


def swarm_ports(service):
    try:
        ports = docker_api.running_ports(service)
    except docker_api.DockerApiError as e:
        raise SystemExit(str(e))
    for p in ports:
        print(p)


def swarm_update(service):
    s = docker(f"/services/{service}")
    u = s.get("UpdateStatus") or {}
    try:
        secs = (parse_time(u["CompletedAt"]) - parse_time(u["StartedAt"])).total_seconds()
    except Exception:
        secs = None
    print(u.get("State", "?"), "-" if secs is None else f"{secs:.3f}")


def berth_rollout(url):
    host = urllib.parse.urlparse(url).hostname
    if not host.startswith("127."):
        raise SystemExit("loopback only")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {os.environ.get('BERTH_TOKEN', '')}"})
    with urllib.request.urlopen(request, timeout=5) as r:
        d = json.load(r)
    secs = (parse_time(d["updatedAt"]) - parse_time(d["startedAt"])).total_seconds()
    print(d.get("state", "?"), f"{secs:.3f}")


def wrk_result(path):
    text = open(path).read()
    m = re.search(r"^RESULT (.*)$", text, re.M)
    if not m:
        print("- - - - - - - -")
        return
    d = dict(kv.split("=") for kv in m.group(1).split())
    print(d["requests"], d["non2xx"], d["connect"], d["read"], d["write"], d["timeout"],
          f"{int(d['p50_us']) / 1000:.1f}", f"{int(d['p99_us']) / 1000:.1f}")


COLS = ["target", "run", "version", "rc", "wall_s", "server_state", "server_s", "requests", "non2xx",
        "connect", "read", "write", "timeout", "p50_ms", "p99_ms", "load1_before", "load1_after"]


def f(x, nd=1):
    return "–" if x is None else f"{x:.{nd}f}"


def report(tsv):
    rows = []
    for line in open(tsv):
        parts = line.rstrip("\n").split("\t")
        if parts[0] == "target" or len(parts) != len(COLS):
            continue
        r = dict(zip(COLS, parts))
        sock = sum(num(r[k]) or 0 for k in ("connect", "read", "write", "timeout"))
        r["sock"] = sock
        r["failed"] = (num(r["non2xx"]) or 0) + sock if num(r["requests"]) is not None else None
        rows.append(r)
    targets = []
    for r in rows:
        if r["target"] not in targets:
            targets.append(r["target"])
    out = ["| target | runs (ok) | wall time median (s) | server-side median (s) | requests median | failed median (non-2xx + socket errors) | failure % (all runs: Σfailed / Σrequests) | p99 latency median (ms) |",
           "|---|---|---|---|---|---|---|---|"]
    summary = {}
    for t in targets:
        rs = [r for r in rows if r["target"] == t]
        ok = [r for r in rs if r["rc"] == "0"]
        wall = med([num(r["wall_s"]) for r in ok])
        server = med([num(r["server_s"]) for r in ok])
        req = med([num(r["requests"]) for r in rs])
        failed = med([r["failed"] for r in rs])
        treq = sum(num(r["requests"]) or 0 for r in rs)
        tfail = sum(r["failed"] or 0 for r in rs)
        pct = 100.0 * tfail / treq if treq else None
        p99 = med([num(r["p99_ms"]) for r in rs])
        summary[t] = dict(wall=wall, server=server, failed=failed, pct=pct)
        out.append(f"| {t} | {len(rs)} ({len(ok)}) | {f(wall, 2)} | {f(server, 2)} | {f(req, 0)} | {f(failed, 0)} | {f(pct, 3)} | {f(p99, 1)} |")
    base = next((t for t in targets if t.startswith("Berth")), None)
    if base and summary[base]["wall"]:
        b = summary[base]
        out.append(f"\n**Ratios to `{base}`** (> 1: Swarm slower / fails more):\n")
        out.append("| target | wall time ratio | server-side ratio | failure % (target vs Berth) |")
        out.append("|---|---|---|---|")
        for t in targets:
            s = summary[t]
            wr = f"{s['wall'] / b['wall']:.2f}×" if s["wall"] else "–"
            sr = f"{s['server'] / b['server']:.2f}×" if s["server"] and b["server"] else "–"
            out.append(f"| {t} | {wr} | {sr} | {f(s['pct'], 3)} % vs {f(b['pct'], 3)} % |")
    out.append("\n<details><summary>raw runs</summary>\n")
    out.append("| target | run | version | rc | wall s | server state | server s | requests | non-2xx | connect | read | write | timeout | p50 ms | p99 ms | load1 before→after |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        out.append("| " + " | ".join(r[c] for c in COLS[:15]) + f" | {r['load1_before']}→{r['load1_after']} |")
    out.append("\n</details>")
    print("\n".join(out))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    cmd, arg = sys.argv[1], sys.argv[2]
    {"swarm-ports": swarm_ports, "swarm-update": swarm_update, "berth-rollout": berth_rollout,
     "wrk-result": wrk_result, "report": report}[cmd](arg)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measures "kill a replica -> its replacement answers HTTP" for Berth and Docker Swarm.

Subcommands (all loops bounded in count and time; HTTP only to 127.0.0.0/8):

  measure.py berth --api http://127.0.0.1:PORT --stack S --runs N --out FILE.json --label TEXT
      Per run: wait for a steady stack (every wanted replica running + healthy + answering),
      take the replica with the lowest slot, t0, kill -9 its pid, then poll
      GET /api/v1/replicas?stack=S every 20 ms.

  measure.py swarm --service NAME --action kill|stop --runs N --out FILE.json --label TEXT
      Same with the Docker Engine API on /var/run/docker.sock: t0, then
      POST /containers/ID/kill (what `docker kill` sends: SIGKILL) or
      POST /containers/ID/stop (what `docker container stop` sends: SIGTERM, 10 s grace),
      then poll the service's tasks every 20 ms.

  measure.py baseline --dll PATH --runs N --out FILE.json --label TEXT
      The floor: start `dotnet PATH` directly (PORT=free loopback port), t0 = spawn,
      poll GET /healthz every 20 ms until 200 (phase `http`), then kill it. No orchestrator.

  measure.py report FILE.json...   -> markdown tables on stdout

Phases recorded per run (ms after t0; the primary figure is `http`):
  detect  the orchestrator shows the killed replica/task as no longer running
  new     a replacement replica/task exists (any state)
  http    the replacement's own endpoint answers GET /healthz with 200 (curl-like, 1 s timeout)
  ready   the orchestrator itself reports the replacement ready
          (Berth: state running + health healthy; Swarm: task state running, which with a
          healthcheck means the container's healthcheck passed)
"""
import argparse
import json
import os
import signal
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in bench/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import docker_api  # noqa: E402  (bench/lib/docker_api.py)

POLL_S = 0.020
PHASES = ["detect", "new", "http", "ready"]


def now_ns():
    return time.monotonic_ns()


def ms(t0, t):
    return None if t is None else round((t - t0) / 1e6, 1)


def http_ok(endpoint, timeout=1.0):
    """GET http://ENDPOINT/healthz -> True on 200. Loopback only."""
    host = endpoint.rsplit(":", 1)[0]
    if not (host.startswith("127.") or host == "localhost"):
        raise SystemExit(f"refusing non-loopback endpoint {endpoint}")
    try:
        with urllib.request.urlopen(f"http://{endpoint}/healthz", timeout=timeout) as r:
            return r.status == 200
    except Exception:
        return False


# ---------------------------------------------------------------- Berth
class Berth:
    def __init__(self, api, stack):
        self.api = api.rstrip("/")
        self.stack = stack

    def replicas(self):
        url = f"{self.api}/api/v1/replicas?stack={urllib.parse.quote(self.stack)}"
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {os.environ.get('BERTH_TOKEN', '')}"})
        with urllib.request.urlopen(request, timeout=2) as r:
            data = json.load(r)
        return [x for x in data if x.get("desiredState") == "running"]

    def steady(self, want, deadline_s=60):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            try:
                reps = self.replicas()
            except Exception:
                reps = []
            ok = [r for r in reps if r["state"] == "running" and r["health"] == "healthy"
                  and r.get("endpoint") and r.get("pid")]
            if len(reps) == want and len(ok) == want and all(http_ok(r["endpoint"]) for r in ok):
                return sorted(ok, key=lambda r: r["slot"])
            time.sleep(0.1)
        return None

    def run_once(self, target, timeout_s):
        old_id, old_pid, slot = target["id"], target["pid"], target["slot"]
        t = dict.fromkeys(PHASES)
        t0 = now_ns()
        os.kill(old_pid, signal.SIGKILL)
        end = t0 + int(timeout_s * 1e9)
        while now_ns() < end:
            try:
                reps = [r for r in self.replicas() if r["slot"] == slot]
            except Exception:
                reps = []
            n = now_ns()
            old = [r for r in reps if r["id"] == old_id and r.get("pid") == old_pid]
            if t["detect"] is None and (not old or old[0]["state"] != "running"):
                t["detect"] = n
            new = [r for r in reps if (r["id"], r.get("pid")) != (old_id, old_pid)]
            if new:
                r = new[0]
                t["detect"] = t["detect"] or n
                t["new"] = t["new"] or n
                if t["http"] is None and r["state"] == "running" and r.get("endpoint") and http_ok(r["endpoint"]):
                    t["http"] = now_ns()
                if t["ready"] is None and r["state"] == "running" and r["health"] == "healthy":
                    t["ready"] = n
                if t["http"] and t["ready"]:
                    break
            time.sleep(POLL_S)
        return {k: ms(t0, v) for k, v in t.items()}


# ---------------------------------------------------------------- Swarm
class Swarm:
    def __init__(self, service, sock=docker_api.SOCKET):
        self.service = service
        self.sock = sock

    def call(self, method, path, timeout=5):
        # bench/lib/docker_api.py; raises DockerApiError (a RuntimeError) on HTTP >= 400.
        return docker_api.call(method, path, timeout=timeout, sock=self.sock)

    def tasks(self):
        f = urllib.parse.quote(json.dumps({"service": [self.service]}))
        return self.call("GET", f"/tasks?filters={f}")

    def container_port(self, cid):
        try:
            c = self.call("GET", f"/containers/{cid}/json")
        except Exception:
            return None
        if not c.get("State", {}).get("Running"):
            return None
        for b in (c.get("NetworkSettings", {}).get("Ports") or {}).get("8080/tcp") or []:
            if b.get("HostPort"):
                return int(b["HostPort"])
        return None

    @staticmethod
    def task_port(task):
        for p in (task.get("Status", {}).get("PortStatus", {}) or {}).get("Ports") or []:
            if p.get("TargetPort") == 8080 and p.get("PublishedPort"):
                return p["PublishedPort"]
        return None

    def steady(self, want=1, deadline_s=90):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            try:
                ts = self.tasks()
            except Exception:
                ts = []
            live = [x for x in ts if x.get("DesiredState") == "running"]
            ok = [x for x in live if x["Status"]["State"] == "running" and self.task_port(x)
                  and x["Status"].get("ContainerStatus", {}).get("ContainerID")]
            if len(live) == want and len(ok) == want and all(http_ok(f"127.0.0.1:{self.task_port(x)}") for x in ok):
                return ok, {x["ID"] for x in ts}
            time.sleep(0.1)
        return None, None

    def run_once(self, target, known_ids, action, timeout_s):
        cid = target["Status"]["ContainerStatus"]["ContainerID"]
        old_task = target["ID"]
        t = dict.fromkeys(PHASES)
        t0 = now_ns()
        if action == "kill":
            self.call("POST", f"/containers/{cid}/kill?signal=KILL")
        else:
            self.call("POST", f"/containers/{cid}/stop?t=10", timeout=20)
        end = t0 + int(timeout_s * 1e9)
        port_cache = {}
        while now_ns() < end:
            try:
                ts = self.tasks()
            except Exception:
                ts = []
            n = now_ns()
            old = [x for x in ts if x["ID"] == old_task]
            if t["detect"] is None and (not old or old[0]["Status"]["State"] != "running"):
                t["detect"] = n
            new = [x for x in ts if x["ID"] not in known_ids]
            if new:
                x = new[0]
                t["detect"] = t["detect"] or n
                t["new"] = t["new"] or n
                ncid = x["Status"].get("ContainerStatus", {}).get("ContainerID")
                if t["http"] is None and ncid:
                    port = self.task_port(x) or port_cache.get(ncid) or self.container_port(ncid)
                    if port:
                        port_cache[ncid] = port
                        if http_ok(f"127.0.0.1:{port}"):
                            t["http"] = now_ns()
                if t["ready"] is None and x["Status"]["State"] == "running":
                    t["ready"] = n
                if t["http"] and t["ready"]:
                    break
            time.sleep(POLL_S)
        return {k: ms(t0, v) for k, v in t.items()}


# ---------------------------------------------------------------- baseline
def cmd_baseline(args):
    import subprocess
    load_before = os.getloadavg()[0]
    import tempfile
    runs = []
    for i in range(args.runs):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PORT=str(port), ARTICLES_DB=os.path.join(tmp, "a.db"), ARTICLES_VERSION="bench")
            t0 = now_ns()
            p = subprocess.Popen(["dotnet", os.path.abspath(args.dll)], env=env, cwd=tmp,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t = None
            try:
                end = t0 + int(args.timeout * 1e9)
                while now_ns() < end and p.poll() is None:
                    if http_ok(f"127.0.0.1:{port}"):
                        t = now_ns()
                        break
                    time.sleep(POLL_S)
            finally:
                p.kill()
                p.wait(timeout=10)
        r = {"detect": None, "new": 0.0, "http": ms(t0, t), "ready": None}
        if t is None:
            r["error"] = f"no answer within {args.timeout}s"
        runs.append(r)
        print(f"  run {i + 1}: http={r['http']}", file=sys.stderr)
        time.sleep(0.3)
    with open(args.out, "w") as f:
        json.dump({"label": args.label, "runs": runs, "requested": args.runs, "baseline": True,
                   "load1": [round(load_before, 1), round(os.getloadavg()[0], 1)]}, f, indent=1)


# ---------------------------------------------------------------- series
def series(args, steady, run_once):
    load_before = os.getloadavg()[0]
    runs, started = [], time.monotonic()
    for i in range(args.runs):
        if time.monotonic() - started > args.budget:
            print(f"  time budget {args.budget}s spent: stopping after {i} runs", file=sys.stderr)
            break
        ok = steady()
        if ok is None:
            runs.append({"error": "no steady state within the deadline (before the kill)"})
            print(f"  run {i + 1}: ERROR no steady state", file=sys.stderr)
            break
        time.sleep(args.settle)
        ok = steady()  # re-read after the settle pause (ids/pids must be current)
        if ok is None:
            runs.append({"error": "no steady state within the deadline (before the kill)"})
            break
        r = run_once(ok)
        if r["http"] is None or r["ready"] is None:
            r["error"] = f"timeout after {args.timeout}s"
        runs.append(r)
        print(f"  run {i + 1}: " + " ".join(f"{k}={r[k]}" for k in PHASES) + (f" ERROR {r['error']}" if "error" in r else ""),
              file=sys.stderr)
    result = {"label": args.label, "runs": runs, "requested": args.runs,
              "load1": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


def cmd_berth(args):
    b = Berth(args.api, args.stack)
    series(args, lambda: b.steady(args.replicas), lambda reps: b.run_once(reps[0], args.timeout))


def cmd_swarm(args):
    s = Swarm(args.service)

    def steady():
        ok, ids = s.steady()
        return None if ok is None else (ok[0], ids)

    series(args, steady, lambda st: s.run_once(st[0], st[1], args.action, args.timeout))


# ---------------------------------------------------------------- report
def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    k = max(1, -(-len(v) * p // 100))
    return v[int(k) - 1]


def stats(values):
    if not values:
        return None
    return {"min": min(values), "median": round(statistics.median(values), 1), "p90": pct(values, 90), "max": max(values)}


def fmt(x):
    return "–" if x is None else f"{x:.0f}"


def cmd_report(args):
    data = []
    for path in args.files:
        with open(path) as f:
            d = json.load(f)
        good = [r for r in d["runs"] if "error" not in r]
        d["ok"], d["failed"] = len(good), len(d["runs"]) - len(good)
        d["stats"] = {p: stats([r[p] for r in good if r.get(p) is not None]) for p in PHASES}
        d["errors"] = sorted({r["error"] for r in d["runs"] if "error" in r})
        data.append(d)

    out = []
    out.append("Time from the kill (t0) to each phase, in ms. `http` = the replacement's own endpoint answers "
               "`GET /healthz` 200; `ready` = the orchestrator reports it ready (Berth: running + healthy; Swarm: task running, "
               "i.e. healthcheck passed). `load 1m` = the machine's 1-minute load average when the series started and ended "
               f"({os.cpu_count()} CPUs here): compare series only at similar load.\n")
    out.append("| series | runs ok/failed | http min | http median | http p90 | http max | detect median | new median | ready median | ready p90 | load 1m before→after |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for d in data:
        s = d["stats"]
        h = s["http"] or {}
        out.append(f"| {d['label']} | {d['ok']}/{d['failed']} | {fmt(h.get('min'))} | {fmt(h.get('median'))} | "
                   f"{fmt(h.get('p90'))} | {fmt(h.get('max'))} | {fmt((s['detect'] or {}).get('median'))} | "
                   f"{fmt((s['new'] or {}).get('median'))} | {fmt((s['ready'] or {}).get('median'))} | "
                   f"{fmt((s['ready'] or {}).get('p90'))} | {'→'.join(str(x) for x in d.get('load1', [])) or '?'} |")
    for d in data:
        if d["errors"]:
            out.append(f"\n- {d['label']}: errors: {'; '.join(d['errors'])}")

    base = next((d for d in data if d["label"].startswith("Berth") and d["stats"]["http"]), None)
    if base:
        bh, br = base["stats"]["http"]["median"], (base["stats"]["ready"] or {}).get("median")
        out.append(f"\n**Comparison** (medians; ratio = other median / `{base['label']}` median):\n")
        out.append("| series | http median (ms) | ratio | ready median (ms) | ratio |")
        out.append("|---|---|---|---|---|")
        for d in data:
            h = (d["stats"]["http"] or {}).get("median")
            r = (d["stats"]["ready"] or {}).get("median")
            rh = f"{h / bh:.1f}×" if h and bh else "–"
            rr = f"{r / br:.1f}×" if r and br else "–"
            out.append(f"| {d['label']} | {fmt(h)} | {rh} | {fmt(r)} | {rr} |")

    out.append("\n<details><summary>raw runs (ms)</summary>\n")
    for d in data:
        out.append(f"- {d['label']}:")
        for i, r in enumerate(d["runs"], 1):
            out.append(f"  - {i}: " + ", ".join(f"{k}={r.get(k)}" for k in PHASES) + (f" **{r['error']}**" if "error" in r else ""))
    out.append("\n</details>")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("berth", "swarm"):
        p = sub.add_parser(name)
        p.add_argument("--runs", type=int, default=10)
        p.add_argument("--timeout", type=float, default=30.0, help="per run, seconds")
        p.add_argument("--budget", type=float, default=150.0, help="whole series, seconds")
        p.add_argument("--settle", type=float, default=1.0, help="pause in steady state before each kill, seconds")
        p.add_argument("--out", required=True)
        p.add_argument("--label", required=True)
        if name == "berth":
            p.add_argument("--api", required=True)
            p.add_argument("--stack", required=True)
            p.add_argument("--replicas", type=int, default=1)
        else:
            p.add_argument("--service", required=True)
            p.add_argument("--action", choices=["kill", "stop"], required=True)
    b = sub.add_parser("baseline")
    b.add_argument("--dll", required=True)
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--timeout", type=float, default=30.0)
    b.add_argument("--out", required=True)
    b.add_argument("--label", required=True)
    r = sub.add_parser("report")
    r.add_argument("files", nargs="+")
    args = ap.parse_args()
    {"berth": cmd_berth, "swarm": cmd_swarm, "baseline": cmd_baseline, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Probe and analysis for bench/strategies/run.sh (loopback and the local Docker socket only).

  probe.py load URL RATE USERS MAX_SECONDS OUT [THREADS]
      Steady-rate GET load: request i is due at start + i/RATE, sent by one of THREADS (default 8)
      keep-alive connections, user `u-<i mod USERS>` in the X-User header (distinct users, sticky
      per user in Berth's router). Runs until SIGINT/SIGTERM or MAX_SECONDS, then writes OUT, one
      request per line: start (epoch s, wall clock) end status version user. status 0 = no
      response (connect/read error or 5 s timeout). A late request is sent as soon as a thread is
      free (the schedule does not catch up in a burst: it is re-based when it falls > 1 s behind).
  probe.py canary SAMPLES T0 REPORT_JSON INTERVAL_S WEIGHT FAIL_RATE LABEL RUN
      One bad-canary run -> a TSV row (see CANARY_COLS) on stdout.
  probe.py switch SAMPLES T0 T_END NEW_VERSION LABEL RUN PHASE
      One switch (promote / rollback / swarm update) -> a TSV row (see SWITCH_COLS) on stdout:
      the last answer NOT from NEW_VERSION to a request started in [T0, T_END), and the first
      request started after it (answered by NEW_VERSION): switch_ms = that request's start - T0.
      cmd_ms: the command's own duration (CLI start-up included); prepare_ms: for Berth's promote,
      `berth deploy` start -> the rollout waits for promote (green started and ready; 0.5 s polls).
  probe.py post URL BODY TOKEN
      POST BODY (JSON) to URL on a connection opened beforehand -> "T0 T1 STATUS" (epoch s): T0 just before
      the request is sent, T1 once the answer is read. The API call timed from the call, not a client's start-up.
  probe.py timed CMD [ARG...]
      Runs CMD -> "T0 T1 EXIT_CODE" (epoch s) around its run (used for `nginx -s reload`, the nginx peer's act).
  probe.py rollout URL               "TO_RELEASE STATE" of GET URL (a service's /rollout)
  probe.py swarm-ports SERVICE       IPv4 host ports of the service's running tasks (desired running)
  probe.py swarm-refresh SERVICE PREFIX PERIOD_S MAX_S
      Best-effort external LB: every PERIOD_S (for at most MAX_S) rewrite PREFIX/upstream.conf
      from the running tasks' ports and `nginx -s reload` when the set changed.
  probe.py report CANARY_TSV SWITCH_TSV  -> markdown on stdout
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in bench/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import docker_api  # noqa: E402  (bench/lib/docker_api.py)
import report_values  # noqa: E402  (bench/lib/report_values.py)
from report_values import med, num  # noqa: E402

# ------------------------------------------------------------------ load


def load(url, rate, users, max_seconds, out, threads=8):
    u = urllib.parse.urlparse(url)
    if not (u.hostname or "").startswith("127."):
        raise SystemExit("loopback only")
    rate, users, max_seconds, threads = float(rate), int(users), float(max_seconds), int(threads)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lock = threading.Lock()
    state = {"i": 0, "base": time.time(), "base_i": 0}
    rows = []
    deadline = time.time() + max_seconds

    def next_slot():
        with lock:
            i = state["i"]
            state["i"] += 1
            due = state["base"] + (i - state["base_i"]) / rate
            now = time.time()
            if now - due > 1.0:  # far behind: re-base instead of bursting
                state["base"], state["base_i"], due = now, i, now
            return i, due

    def worker():
        conn = None
        local = []
        while not stop.is_set() and time.time() < deadline:
            i, due = next_slot()
            delay = due - time.time()
            if delay > 0:
                if stop.wait(delay):
                    break
            user = f"u-{i % users}"
            start = time.time()
            status, version = 0, "-"
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
                conn.request("GET", u.path or "/", headers={"X-User": user})
                r = conn.getresponse()
                r.read()
                status, version = r.status, r.getheader("X-Articles-Version") or "-"
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            local.append((start, time.time(), status, version, user))
        if conn is not None:
            conn.close()
        with lock:
            rows.extend(local)

    ts = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in ts:
        t.start()
    while not stop.is_set() and time.time() < deadline:
        stop.wait(0.2)
    stop.set()
    for t in ts:
        t.join(10)
    rows.sort()
    with open(out, "w") as f:
        for s, e, st, v, user in rows:
            f.write(f"{s:.6f} {e:.6f} {st} {v} {user}\n")


def read_samples(path):
    rows = []
    for line in open(path):
        p = line.split()
        if len(p) == 5:
            rows.append((float(p[0]), float(p[1]), int(p[2]), p[3], p[4]))
    return rows


def ok(status):
    return 200 <= status < 300


# ------------------------------------------------------------------ time parsing


def parse_time(s):
    """A Go/.NET timestamp -> seconds since the epoch (bench/lib/report_values.py)."""
    return report_values.parse_time(s).timestamp()


# ------------------------------------------------------------------ canary

CANARY_COLS = ["label", "run", "state", "requests", "seconds", "rate", "failed", "failed_pct", "to_v2",
               "deploy_to_weight_s", "weight_to_abort_s", "deploy_to_abort_s", "measurements",
               "min_failed", "min_pct", "ratio", "reason"]


def canary(samples, t0, report_json, interval, weight, fail_rate, label, run):
    t0, interval, weight, fail_rate = float(t0), float(interval), float(weight), float(fail_rate)
    rows = read_samples(samples)
    n = len(rows)
    secs = (rows[-1][0] - rows[0][0]) if n > 1 else 0
    rate = n / secs if secs else 0
    failed = sum(1 for r in rows if not ok(r[2]))
    to_v2 = sum(1 for r in rows if r[3] != "1" and r[3] != "-")
    try:
        rep = json.load(open(report_json))
    except Exception:
        rep = {}
    ro = rep.get("rollout") or {}
    tl = rep.get("timeline") or []
    w_at = next((parse_time(e["at"]) for e in tl if e.get("kind") == "weight"), None)
    a_at = next((parse_time(e["at"]) for e in tl if e.get("kind") == "aborted"), None)
    meas = sum(1 for e in tl if str(e.get("kind", "")).startswith("analysis."))
    # The floor: one analysis interval of the canary at its first weight, failing at FAIL_RATE,
    # before the first measurement can see it (requests at the measured rate).
    min_failed = rate * interval * weight / 100.0 * fail_rate
    min_pct = 100.0 * min_failed / n if n else None
    ratio = failed / min_failed if min_failed else None

    def fmt(x, nd=2):
        return "-" if x is None else f"{x:.{nd}f}"

    reason = (ro.get("reason") or "-").replace("\t", " ").replace("\n", " ")
    print("\t".join([label, str(run), ro.get("state", "?"), str(n), fmt(secs, 1), fmt(rate, 1), str(failed),
                     fmt(100.0 * failed / n if n else None, 3), str(to_v2),
                     fmt(w_at - t0 if w_at else None), fmt(a_at - w_at if a_at and w_at else None),
                     fmt(a_at - t0 if a_at else None), str(meas), fmt(min_failed, 1), fmt(min_pct, 3),
                     fmt(ratio), reason[:160]]))


# ------------------------------------------------------------------ switch

SWITCH_COLS = ["label", "run", "phase", "switch_ms", "last_old_ms", "requests", "failed", "old_after", "rate",
               "probe_gap_ms", "cmd_ms", "prepare_ms"]


def switch(samples, t0, t_end, new, label, run, phase, cmd_ms="-", prepare_ms="-"):
    t0, t_end = float(t0), float(t_end)
    rows = [r for r in read_samples(samples) if t0 <= r[0] < t_end]
    n = len(rows)
    failed = sum(1 for r in rows if not ok(r[2]))
    answered = [r for r in rows if ok(r[2])]
    old = [r for r in answered if r[3] != new]
    last_old = max((r[0] for r in old), default=None)
    after = [r for r in answered if last_old is None or r[0] > last_old]
    first_new = min((r[0] for r in after if r[3] == new), default=None)
    if last_old is not None and first_new is None:
        switch_ms = None  # never fully switched within the window
    elif first_new is None:
        switch_ms = None
    else:
        switch_ms = (first_new - t0) * 1000
    # Largest gap between consecutive request starts in the window: the probe's resolution there.
    starts = sorted(r[0] for r in rows)
    gap = max((b - a for a, b in zip(starts, starts[1:])), default=0) * 1000
    secs = (t_end - t0) or 1

    def fmt(x, nd=0):
        return "-" if x is None else f"{x:.{nd}f}"

    print("\t".join([label, str(run), phase, fmt(switch_ms), fmt((last_old - t0) * 1000 if last_old else None),
                     str(n), str(failed), str(len(old)), fmt(n / secs, 0), fmt(gap, 1), cmd_ms, prepare_ms]))


def post(url, body, token):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.connect()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    t0 = time.time()
    c.request("POST", u.path, body=body, headers=headers)
    r = c.getresponse()
    r.read()
    t1 = time.time()
    print(f"{t0:.6f} {t1:.6f} {r.status}")


def timed(*cmd):
    t0 = time.time()
    code = subprocess.run(list(cmd)).returncode
    t1 = time.time()
    print(f"{t0:.6f} {t1:.6f} {code}")


def rollout(url):
    """-> "TO_RELEASE STATE" of the service's latest rollout (GET .../rollout), "- none" when there is none."""
    u = urllib.parse.urlparse(url)
    if not (u.hostname or "").startswith("127."):
        raise SystemExit("loopback only")
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
        c.request("GET", u.path, headers={"Authorization": f"Bearer {os.environ.get('BERTH_TOKEN', '')}"})
        r = c.getresponse()
        body = r.read()
        d = json.loads(body) if r.status == 200 else {}
    except (OSError, ValueError, http.client.HTTPException):
        d = {}
    print(d.get("toRelease", "-"), d.get("state", "none"))


# ------------------------------------------------------------------ Swarm helpers


# The Engine API client and running_ports (raises docker_api.DockerApiError, a RuntimeError, when
# the task list cannot be read) are shared with the other tools: bench/lib/docker_api.py.
running_ports = docker_api.running_ports


def swarm_ports(service):
    for p in running_ports(service):
        print(p)


def write_upstream(prefix, ports):
    with open(os.path.join(prefix, "upstream.conf.new"), "w") as f:
        f.write("upstream articles {\n")
        for p in ports:
            f.write(f"    server 127.0.0.1:{p};\n")
        f.write("    keepalive 32;\n}\n")
    os.replace(os.path.join(prefix, "upstream.conf.new"), os.path.join(prefix, "upstream.conf"))


def swarm_refresh(service, prefix, period, max_s):
    period, end = float(period), time.time() + float(max_s)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    current = None
    log = open(os.path.join(prefix, "refresh.log"), "a")
    while not stop.is_set() and time.time() < end:
        try:
            ports = running_ports(service)
        except Exception as e:  # engine busy: try again next period
            log.write(f"{time.time():.3f} error {e}\n")
            ports = None
        if ports and ports != current:
            write_upstream(prefix, ports)
            subprocess.run(["nginx", "-p", prefix + "/", "-c", os.path.join(prefix, "nginx.conf"), "-s", "reload"],
                           stdout=subprocess.DEVNULL, stderr=log, timeout=10)
            log.write(f"{time.time():.3f} reload {ports}\n")
            log.flush()
            current = ports
        stop.wait(period)


# ------------------------------------------------------------------ report


def fm(x, nd=1, unit=""):
    return "–" if x is None else f"{x:.{nd}f}{unit}"


def read_tsv(path, cols):
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path):
        p = line.rstrip("\n").split("\t")
        if len(p) == len(cols) and p[0] != cols[0]:
            out.append(dict(zip(cols, p)))
    return out


def report(canary_tsv, switch_tsv):
    out = []
    c = read_tsv(canary_tsv, CANARY_COLS)
    if c:
        out.append("### Bad canary (v2 with ARTICLES_FAIL_RATE=0.2, first weight 10, analysis every 5s)\n")
        out.append("| runs (aborted) | deploy → weight 10 (s) | weight 10 → abort (s) | **deploy → abort (s)** | requests/s | failed % of all requests | theoretical minimum % | **measured / minimum** |")
        out.append("|---|---|---|---|---|---|---|---|")
        ab = [r for r in c if r["state"] == "aborted"]
        out.append(f"| {len(c)} ({len(ab)}) | {fm(med(num(r['deploy_to_weight_s']) for r in ab), 2)} | "
                   f"{fm(med(num(r['weight_to_abort_s']) for r in ab), 2)} | {fm(med(num(r['deploy_to_abort_s']) for r in ab), 2)} | "
                   f"{fm(med(num(r['rate']) for r in c), 1)} | {fm(med(num(r['failed_pct']) for r in c), 3)} | "
                   f"{fm(med(num(r['min_pct']) for r in c), 3)} | {fm(med(num(r['ratio']) for r in c), 2, '×')} |")
        tot = sum(num(r["requests"]) or 0 for r in c)
        tfail = sum(num(r["failed"]) or 0 for r in c)
        tmin = sum(num(r["min_failed"]) or 0 for r in c)
        tv2 = sum(num(r["to_v2"]) or 0 for r in c)
        tfloor = tmin / float(0.2) if tmin else 0  # canary requests in one interval at weight 10
        out.append(f"\nPooled over all runs: {int(tfail)} failed of {int(tot)} requests ({fm(100 * tfail / tot if tot else None, 3)} %) "
                   f"vs a minimum of {fm(tmin, 1)} ({fm(100 * tmin / tot if tot else None, 3)} %): **{fm(tfail / tmin if tmin else None, 2)}×**; "
                   f"requests that reached v2: {int(tv2)} vs {fm(tfloor, 1)} in one interval at weight 10: "
                   f"**{fm(tv2 / tfloor if tfloor else None, 2)}×** (the exposure ratio, free of the 0.2 coin's noise).")
        out.append("\nMedians over the runs. Theoretical minimum = requests/s × 5 s × 10 % × 0.2 (one analysis interval at the first weight, "
                   "failing at the app's rate, before any measurement can see it) over all requests of the run; "
                   "the ratio is failed requests / that minimum (1.0× = nothing lost beyond one interval).\n")
        out.append("<details><summary>raw canary runs</summary>\n")
        out.append("| " + " | ".join(CANARY_COLS) + " |")
        out.append("|" + "---|" * len(CANARY_COLS))
        for r in c:
            out.append("| " + " | ".join(r[k].replace("|", "\\|") for k in CANARY_COLS) + " |")
        out.append("\n</details>\n")
    s = read_tsv(switch_tsv, SWITCH_COLS)
    if s:
        out.append("### Switch: time from the command's start until every new request gets the target version\n")
        out.append("| target | phase | runs (switched) | **switch median (ms)** | min–max (ms) | failed requests (Σ over runs) | requests (Σ) | probe rate (req/s, median) | command duration median (ms) | green start median (ms) |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        keys = []
        for r in s:
            if (r["label"], r["phase"]) not in keys:
                keys.append((r["label"], r["phase"]))
        meds = {}
        for k in keys:
            rs = [r for r in s if (r["label"], r["phase"]) == k]
            sw = [num(r["switch_ms"]) for r in rs if num(r["switch_ms"]) is not None]
            meds[k] = med(sw)
            out.append(f"| {k[0]} | {k[1]} | {len(rs)} ({len(sw)}) | {fm(meds[k], 0)} | "
                       f"{fm(min(sw) if sw else None, 0)}–{fm(max(sw) if sw else None, 0)} | "
                       f"{sum(int(num(r['failed']) or 0) for r in rs)} | {sum(int(num(r['requests']) or 0) for r in rs)} | "
                       f"{fm(med(num(r['rate']) for r in rs), 0)} | {fm(med(num(r['cmd_ms']) for r in rs), 0)} | "
                       f"{fm(med(num(r['prepare_ms']) for r in rs), 0)} |")
        # A peer timed from a command (Swarm's `docker service update`) compares with `berth promote|rollback`; one
        # timed from its act (nginx's reload) with Berth's API call timed from the request.
        cli = {ph: meds.get(k) for k in keys for ph in [k[1]] if k[0].startswith("Berth") and "CLI" in k[0]}
        api = {ph: meds.get(k) for k in keys for ph in [k[1]] if k[0].startswith("Berth") and "API" in k[0]}
        peers = [k for k in keys if not k[0].startswith("Berth")]
        if peers and (any(cli.values()) or any(api.values())):
            out.append("\n**Ratios** (peer median / Berth median; > 1: the peer is slower):\n")
            out.append("| peer | phase | compared with | ratio |")
            out.append("|---|---|---|---|")
            for k in peers:
                ph = "promote" if k[1] in ("update", "promote") else "rollback"
                by_act = "reload" in k[0]
                b = (api if by_act else cli).get(ph)
                what = f"Berth API {ph} (from the request)" if by_act else f"`berth {ph}` (CLI)"
                out.append(f"| {k[0]} | {k[1]} | {what} | {fm(meds[k] / b if meds[k] and b else None, 1, '×')} |")
        out.append("\n<details><summary>raw switch runs</summary>\n")
        out.append("| " + " | ".join(SWITCH_COLS) + " |")
        out.append("|" + "---|" * len(SWITCH_COLS))
        for r in s:
            out.append("| " + " | ".join(r[k] for k in SWITCH_COLS) + " |")
        out.append("\n</details>")
    print("\n".join(out))


def main():
    cmds = {"load": load, "canary": canary, "switch": switch, "post": post, "timed": timed, "swarm-ports": swarm_ports,
            "swarm-refresh": swarm_refresh, "rollout": rollout, "report": report}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        raise SystemExit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()

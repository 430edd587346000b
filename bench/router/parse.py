#!/usr/bin/env python3
"""bench/router helpers.

  parse.py wrk FILE   -> "rps p50_ms p99_ms errors requests"  (wrk --latency output)
  parse.py hey FILE   -> "rps p50_ms p99_ms errors requests"  (hey output)
  parse.py median N.. -> the median of the numbers
  parse.py report TSV -> the markdown tables (see bench/README.md, section router)
"""
import re
import statistics
import sys


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(text):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {m.group(1): ms(m.group(2), m.group(3))
           for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, lat["50"], lat["99"], errors, requests


def parse_hey(text):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {m.group(1): float(m.group(2)) * 1000.0
           for m in re.finditer(r"^\s+(50|99)%+ in ([\d.]+) secs", text, re.M)}
    ok = sum(int(n) for n in re.findall(r"\[200\]\s+(\d+) responses", text))
    total = sum(int(n) for n in re.findall(r"\[\d+\]\s+(\d+) responses", text))
    errors = total - ok
    m = re.search(r"Error distribution:(.*)", text, re.S)
    if m:
        errors += sum(int(n) for n in re.findall(r"\[(\d+)\]", m.group(1)))
    return rps, lat["50"], lat["99"], errors, total


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def report(path):
    # phase kind round target rps p50 p99 errors requests load1 cpu_us_per_req
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    phases = []
    for r in rows:
        if r[0] not in phases:
            phases.append(r[0])
    for phase in phases:
        pr = [r for r in rows if r[0] == phase]
        targets = []
        for r in pr:
            if r[3] not in targets:
                targets.append(r[3])

        def series(kind, target):
            return [r for r in pr if r[1] == kind and r[3] == target]

        def col(rs, i):
            return [float(r[i]) for r in rs if r[i] not in ("", "nan")]

        print(f"### {phase}\n")
        sat = {t: series("sat", t) for t in targets}
        half = {t: series("half", t) for t in targets}
        d_sat = med(col(sat.get("direct", []), 6))
        d_half = med(col(half.get("direct", []), 6))
        print("| target | sat. req/s | sat. p50 ms | sat. p99 ms | sat. p99 added vs direct | proxy CPU µs/req | "
              "half-load req/s | half p50 ms | half p99 ms | half p99 added vs direct | errors | load1 (min–max) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for t in targets:
            s, h = sat[t], half[t]
            loads = col(s + h, 9)
            cpu = col(s, 10)
            errs = int(sum(col(s + h, 7)))
            srps, sp50, sp99 = med(col(s, 4)), med(col(s, 5)), med(col(s, 6))
            hrps, hp50, hp99 = med(col(h, 4)), med(col(h, 5)), med(col(h, 6))
            add_s = "—" if t == "direct" else f"{sp99 - d_sat:+.2f}"
            add_h = "—" if t == "direct" else f"{hp99 - d_half:+.2f}"
            cpu_s = f"{med(cpu):.0f}" if cpu else "—"
            load_s = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "?"
            print(f"| {t} | {srps:,.0f} | {sp50:.2f} | {sp99:.2f} | {add_s} | {cpu_s} | {hrps:,.0f} | {hp50:.2f} | {hp99:.2f} | {add_h} | {errs} | {load_s} |")
        print()
        nginx = med(col(sat.get("nginx", []), 4))
        haproxy = med(col(sat.get("haproxy", []), 4))
        bare = med(col(sat.get("bare-yarp", []), 4))
        for t in targets:
            if not t.startswith(("berth", "bare-yarp")):
                continue
            b = med(col(sat[t], 4))
            parts = []
            if sat.get("nginx"):
                parts.append(f"{t}/nginx = **{b / nginx:.2f}×**")
            if sat.get("haproxy"):
                parts.append(f"{t}/HAProxy = **{b / haproxy:.2f}×**")
            if t != "bare-yarp" and sat.get("bare-yarp"):
                cpu_b, cpu_y = med(col(sat[t], 10)), med(col(sat["bare-yarp"], 10))
                parts.append(f"{t}/bare-yarp = **{b / bare:.2f}×** (CPU per request {cpu_b / cpu_y:.2f}×)")
            hp99 = med(col(half[t], 6))
            if t == "bare-yarp":
                print(f"- saturating req/s: {', '.join(parts)}; half-load p99 {hp99 - d_half:+.2f} ms vs direct "
                      "(YARP alone, no Berth code: the best a YARP-based router does here)")
                continue
            # Issue 19 item 7: ≥ 0.80× nginx saturating req/s, added p99 at half load within nginx's + 0.5 ms,
            # and Berth's own cost ≤ 5 % CPU per request over bare YARP (same run).
            goal_rps = "met" if sat.get("nginx") and b >= 0.80 * nginx else "NOT met"
            goal_p99 = ("met" if hp99 - med(col(half["nginx"], 6)) <= 0.5 else "NOT met") if half.get("nginx") else "?"
            goal_cpu = "?"
            if sat.get("bare-yarp"):
                goal_cpu = "met" if med(col(sat[t], 10)) <= 1.05 * med(col(sat["bare-yarp"], 10)) else "NOT met"
            print(f"- saturating req/s: {', '.join(parts)}; goal ≥ 0.80× nginx: {goal_rps}; "
                  f"goal half-load p99 ≤ nginx's + 0.5 ms: {goal_p99} ({hp99 - d_half:+.2f} ms vs direct"
                  + (f", {hp99 - med(col(half['nginx'], 6)):+.2f} ms vs nginx" if half.get("nginx") else "") + ")"
                  + f"; goal CPU per request ≤ 1.05× bare YARP: {goal_cpu}")
        print()
    print("<details><summary>raw runs</summary>\n")
    print("| phase | kind | round | target | req/s | p50 ms | p99 ms | errors | requests | load1 | proxy CPU µs/req |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(r[:4]) + f" | {float(r[4]):,.0f} | {float(r[5]):.2f} | {float(r[6]):.2f} | {r[7]} | {r[8]} | {r[9]} | {r[10] or '—'} |")
    print("\n</details>")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd in ("wrk", "hey"):
        text = open(sys.argv[2]).read()
        rps, p50, p99, errors, requests = (parse_wrk if cmd == "wrk" else parse_hey)(text)
        print(f"{rps:.1f}\t{p50:.3f}\t{p99:.3f}\t{errors}\t{requests}")
    elif cmd == "median":
        print(f"{med([float(x) for x in sys.argv[2:]]):.1f}")
    elif cmd == "report":
        report(sys.argv[2])
    else:
        sys.exit(f"unknown command {cmd}")

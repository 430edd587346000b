#!/usr/bin/env python3
"""Whole-process timings of two commands, interleaved (A B A B ...), for bench/cli/run.sh.

  measure.py run NAME RUNS WARMUP 'COMMAND A' 'COMMAND B' >>TSV   one line per pair (after WARMUP unrecorded pairs);
                                                                  {n} in a command: the call's number, 0 first
  measure.py report TSV                                           the markdown table of every NAME in TSV

Each run is started with posix_spawn (no shell: the strings are split as a shell splits words), stdin/stdout/stderr
on /dev/null, and reaped with wait4: wall = a monotonic clock around spawn..reap, cpu = the child's user + system
time, rss = its peak resident set. Pairing keeps the ratio A/B meaningful when the machine's speed drifts.
"""
import os
import shlex
import statistics
import sys
import time


def run_once(argv):
    null_in = (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0)
    null_out = (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)
    null_err = (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[null_in, null_out, null_err])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024, code


def run(name, runs, warmup, a, b):
    def argv(command, n):
        return [word.replace("{n}", str(n)) for word in shlex.split(command)]

    load1 = open("/proc/loadavg").read().split()[0]
    for n in range(warmup):
        run_once(argv(a, n))
        run_once(argv(b, n))
    for i in range(runs):
        ra = run_once(argv(a, warmup + i))
        rb = run_once(argv(b, warmup + i))
        fields = [name, str(i), load1, a, b] + [f"{v:.2f}" for v in ra[:3]] + [str(ra[3])] + [f"{v:.2f}" for v in rb[:3]] + [str(rb[3])]
        print("\t".join(fields), flush=True)


def report(path):
    rows = {}
    order = []
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) != 13:
            continue
        if f[0] not in rows:
            rows[f[0]] = []
            order.append(f[0])
        rows[f[0]].append(f)

    def spread(values):
        return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"

    print("| command | wall ms, median (min–max) | cpu ms | peak RSS MB | exit codes | `docker service ls` wall ms | cpu ms | ratio (median of pairs) | pairs | load1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in order:
        r = rows[name]
        a_wall = [float(x[5]) for x in r]
        b_wall = [float(x[9]) for x in r]
        ratios = [aw / bw for aw, bw in zip(a_wall, b_wall)]
        codes = sorted({x[8] for x in r})
        print(
            f"| {name} | {spread(a_wall)} | {statistics.median(float(x[6]) for x in r):.1f} "
            f"| {statistics.median(float(x[7]) for x in r):.1f} | {', '.join(codes)} "
            f"| {spread(b_wall)} | {statistics.median(float(x[10]) for x in r):.1f} "
            f"| **{statistics.median(ratios):.2f}×** | {len(r)} | {r[0][2]} |"
        )


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "run":
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)

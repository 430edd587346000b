#!/usr/bin/env python3
"""Writes the reliability report: one section per run (command, date, machine, load, figures) and PNG charts.

Usage: report.py FIGURES_DIR CHARTS_DIR REPORT_MD COMMAND PROFILE TEST_EXIT
"""
import datetime
import glob
import json
import os
import platform
import subprocess
import sys

figures_dir, charts_dir, report, command, profile, status = sys.argv[1:7]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
load = open("/proc/loadavg").read().split()[:3]
cpus = os.cpu_count()
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)

TITLES = {
    "chaos-kill": "Chaos: kill -9 of a random replica every 2 s under load",
    "chaos-sigstop": "Chaos: a replica frozen with SIGSTOP under load",
    "crash-recovery": "Crash recovery: kill -9 of the server at random points of rollouts",
}


def chart(name, data):
    timeline = data.get("timeline") or []
    if not timeline:
        return None
    dat = os.path.join(charts_dir, f"{name}.dat")
    png = os.path.join(charts_dir, f"{name}.png")
    with open(dat, "w") as f:
        for row in timeline:
            f.write(f"{row['Second']} {row['Ok']} {row['Failed']}\n")
    script = f"""
set terminal pngcairo size 900,320 font 'sans,10'
set output '{png}'
set title '{TITLES.get(name, name)} (seed {data.get('seed')})'
set xlabel 'seconds'
set ylabel 'requests per second'
set yrange [0:*]
set grid
plot '{dat}' using 1:2 with lines lw 2 title 'answered', '{dat}' using 1:3 with impulses lw 3 lc rgb 'red' title 'failed'
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(dat)
    return os.path.relpath(png, os.path.dirname(report))


lines = [
    f"## Run of {now}",
    "",
    f"- Command: `{command}` (profile: {profile}; tests exit code {status})",
    f"- Machine: {cpus} × {model}, {mem} MiB; load average at the end {' '.join(load)}",
    "",
    "| test | seconds | requests/s | answered | failed | failed share | faults | restored after (s) |",
    "|---|---|---|---|---|---|---|---|",
]
sections = []
for path in sorted(glob.glob(os.path.join(figures_dir, "*.json"))):
    name = os.path.splitext(os.path.basename(path))[0]
    data = json.load(open(path))
    if "outcomes" in data:
        outcomes = ", ".join(f"{k} × {v}" for k, v in sorted(data["outcomes"].items()))
        sections.append(f"**{TITLES.get(name, name)}** (seed {data.get('seed')}): {data.get('crashPoints')} crash points; "
                        f"every rollout ended ({outcomes}); one live replica per slot, no orphan process, no event lost, "
                        "`PRAGMA integrity_check` ok after the last one.")
        continue
    lines.append(
        f"| {TITLES.get(name, name)} | {data.get('seconds')} | {data.get('requestsPerSecond')} | {data.get('ok')} | "
        f"{data.get('failed')} | {data.get('failedShare')} | {data.get('faults')} | {data.get('restoredSeconds')} |")
    png = chart(name, data)
    if png:
        sections.append(f"![{TITLES.get(name, name)}]({png})")
    if data.get("failures"):
        sections.append(f"Failures of {name} (first {len(data['failures'])}): " + "; ".join(data["failures"]))
lines += [""] + sections + [""]

header = "# Reliability (bench/reliability)\n\nEach run appends a section. What the tests do: tests/Berth.Tests/Reliability/.\n\n"
existing = open(report).read() if os.path.exists(report) else header
with open(report, "w") as f:
    f.write(existing.rstrip() + "\n\n" + "\n".join(lines))

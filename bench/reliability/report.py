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
    "soak": "Soak: consecutive deploys of every strategy (good and bad canaries) under load",
}


def plot(stem, rows, settings, plot_line):
    """Writes CHARTS_DIR/STEM.png with gnuplot from ROWS (one data line each); returns its path relative to the report."""
    dat = os.path.join(charts_dir, f"{stem}.dat")
    png = os.path.join(charts_dir, f"{stem}.png")
    with open(dat, "w") as f:
        f.writelines(" ".join(str(v) for v in row) + "\n" for row in rows)
    script = f"set terminal pngcairo size 900,320 font 'sans,10'\nset output '{png}'\n{settings}\nset grid\n" + plot_line.replace("DAT", f"'{dat}'")
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(dat)
    return os.path.relpath(png, os.path.dirname(report))


def chart(name, data):
    timeline = data.get("timeline") or []
    if not timeline:
        return None
    return plot(name, ([r["Second"], r["Ok"], r["Failed"]] for r in timeline), f"""
set title '{TITLES.get(name, name)} (seed {data.get('seed')})'
set xlabel 'seconds'
set ylabel 'requests per second'
set yrange [0:*]""", "plot DAT using 1:2 with lines lw 2 title 'answered', DAT using 1:3 with impulses lw 3 lc rgb 'red' title 'failed'\n")


def memory_chart(name, data):
    memory = data.get("memory") or []
    if not memory:
        return None
    rows = ([r["deploy"], r["serverRssMb"], r["routerRssMb"], r["serverOpenFiles"], r["routerOpenFiles"],
             r.get("serverGcHeapMb", "NaN"), r.get("serverGcCommittedMb", "NaN")] for r in memory)
    return plot(f"{name}-memory", rows, f"""
set title 'Soak: resident memory and open files after each deploy (seed {data.get('seed')})'
set xlabel 'deploy'
set ylabel 'MB'
set y2label 'open files'
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics""", "plot DAT using 1:2 with lines lw 2 title 'server RSS', DAT using 1:3 with lines lw 2 title 'router RSS', "
                "DAT using 1:6 with lines lw 1 title 'server GC heap (after its last collection)', DAT using 1:7 with lines lw 1 title 'server GC committed', "
                "DAT using 1:4 axes x1y2 with lines dt 2 title 'server open files', DAT using 1:5 axes x1y2 with lines dt 2 title 'router open files'\n")


def open_files(data):
    """'; open files after the warm-up: server A (min–max), router …' from the soak's samples, or ''."""
    memory, warm = data.get("memory") or [], data.get("warmUpDeploys") or 0
    after = [m for m in memory if m["deploy"] >= warm]
    if not after:
        return ""
    def span(key):
        values = [m[key] for m in after]
        return f"{after[0][key]} at the warm-up, {min(values)}–{max(values)} after"
    return f"; open files: server {span('serverOpenFiles')}, router {span('routerOpenFiles')}"


def server_heap(data):
    """'; the server's GC heap …, its JIT …' from the soak's samples (after the warm-up to the last), or ''."""
    memory, warm = data.get("memory") or [], data.get("warmUpDeploys") or 0
    after = [m for m in memory if m["deploy"] >= warm and "serverGcHeapMb" in m]
    if not after:
        return ""
    first, last = after[0], after[-1]
    # The heap after the last collection, often a gen0/gen1 one: it holds gen2 garbage until the next full collection,
    # so it climbs by steps without a leak (bench/results/reliability-2026-12-07.md, "Is the server's heap creep…").
    return (f"; the server's GC heap after its last collection {first['serverGcHeapMb']} → {last['serverGcHeapMb']} MB (committed "
            f"{first['serverGcCommittedMb']} → {last['serverGcCommittedMb']} MB), methods its JIT compiled "
            f"{first['serverJitMethods']} → {last['serverJitMethods']}")


def soak_text(data):
    def growth(start, end):
        return f"{start} → {end} MB ({(end / start - 1) * 100:+.1f} %)" if start else "n/a"
    bad = data.get("badCanaries") or 0
    outcomes = ", ".join(f"{k} × {v}" for k, v in sorted((data.get("outcomes") or {}).items()))
    return (f"**{TITLES['soak']}** (seed {data.get('seed')}): {data.get('deploys')} deploys ({outcomes}) in "
            f"{data.get('seconds')} s at {data.get('requestsPerSecond')} requests/s. Failed requests outside the bad "
            f"canaries: **{data.get('failedOutsideBadCanaries')}**; during the {bad} bad canaries (50 % of their answers "
            f"are 500): {data.get('failedInBadCanaries')}, against a theoretical minimum of "
            f"{data.get('theoreticalMinimumInBadCanaries')} (the min_requests an analysis needs, at that failure rate). "
            f"Memory after the warm-up ({data.get('warmUpDeploys')} deploys, {data.get('warmUpSeconds', '?')} s: every "
            f"strategy run and the 5-minute traffic windows full) to the end: server "
            f"{growth(data.get('serverRssAfterWarmUpMb'), data.get('serverRssAtEndMb'))}, router "
            f"{growth(data.get('routerRssAfterWarmUpMb'), data.get('routerRssAtEndMb'))}"
            + (f"; from deploy {data['earlyDeploy']}, while the windows fill: server "
               f"{growth(data.get('serverRssAtEarlyDeployMb'), data.get('serverRssAtEndMb'))}, router "
               f"{growth(data.get('routerRssAtEarlyDeployMb'), data.get('routerRssAtEndMb'))}" if data.get('earlyDeploy') else "")
            + open_files(data)
            + server_heap(data)
            + f". Analyses paused as inconclusive "
            f"(too few requests measured; resumed by the test): {len(data.get('inconclusivePauses') or [])}"
            + "".join(f"; {p}" for p in (data.get('inconclusivePauses') or [])[:5]) + ".")


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
    if name == "soak":
        sections.append(soak_text(data))
        png = memory_chart(name, data)
        if png:
            sections.append(f"![Soak memory]({png})")
    elif "outcomes" in data:
        outcomes = ", ".join(f"{k} × {v}" for k, v in sorted(data["outcomes"].items()))
        sections.append(f"**{TITLES.get(name, name)}** (seed {data.get('seed')}): {data.get('crashPoints')} crash points; "
                        f"every rollout ended ({outcomes}); one live replica per slot, no orphan process, no event lost, "
                        "`PRAGMA integrity_check` ok after the last one.")
        continue
    lines.append(
        f"| {TITLES.get(name, name)} | {data.get('seconds')} | {data.get('requestsPerSecond')} | {data.get('ok')} | "
        f"{data.get('failed')} | {data.get('failedShare')} | {data.get('faults')} | {data.get('restoredSeconds', '—')} |")
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

#!/usr/bin/env python3
"""Rows from parse_hey.py → a markdown table per run and the same-run comparison Berth vs nginx."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
print("| run | event | answered 2xx | failed | p50 ms | p99 ms | req/s |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['name']} | {r['event']} | {r['ok']} | {r['failed']} | {r['p50']} | {r['p99']} | {r['rps']} |")


def median(target, event, key):
    values = [r[key] for r in rows if r["target"] == target and r["event"] == event and r[key] is not None]
    return statistics.median(values) if values else None


def total(target, event, key):
    return sum(r[key] for r in rows if r["target"] == target and r["event"] == event)


print()
print("| event | failed requests (all rounds) | extra p99 ms (median, vs the same target with no event) |")
print("|---|---|---|")
extra = {}
for target, event, label in [("nginx", "reload", "nginx -s reload (x2 per run)"),
                             ("berth", "kill", "Berth server kill -9, started again"),
                             ("berth", "term", "Berth server SIGTERM, started again"),
                             ("berth", "swap", "berth router restart (sockets handed over)")]:
    base, during = median(target, "none", "p99"), median(target, event, "p99")
    extra[event] = None if base is None or during is None else round(during - base, 2)
    print(f"| {label} | {total(target, event, 'failed')} of {total(target, event, 'ok') + total(target, event, 'failed')} | {extra[event]} |")

print()
print("Same-run comparison: failed requests must be 0 on both sides; extra p99 of a Berth restart minus nginx's reload:")
for event in ("kill", "term", "swap"):
    if extra.get(event) is not None and extra.get("reload") is not None:
        print(f"- {event}: {round(extra[event] - extra['reload'], 2)} ms")

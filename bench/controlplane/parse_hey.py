#!/usr/bin/env python3
"""hey's summary → one JSON row: name, target, event, requests, ok, failed, p50/p99 (ms), req/s."""
import json
import re
import sys

name, event, path = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8", errors="replace").read()
ok = failed = 0
for code, count in re.findall(r"\[(\d{3})\]\s+(\d+) responses", text):
    if code.startswith("2"):
        ok += int(count)
    else:
        failed += int(count)
errors = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s+\D", text.split("Error distribution:")[1], re.M)) if "Error distribution:" in text else 0


def percentile(p):
    m = re.search(rf"^\s+{p}% in ([\d.]+) secs", text, re.M)
    return round(float(m.group(1)) * 1000, 2) if m else None


rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
print(json.dumps({
    "name": name,
    "target": name.split("-")[0],
    "event": event,
    "ok": ok,
    "failed": failed + errors,
    "p50": percentile(50),
    "p99": percentile(99),
    "rps": float(rps.group(1)) if rps else None,
}))

#!/usr/bin/env bash
# Runs every benchmark: each bench/*/run.sh in turn (cli, controlplane, dashboard, engine, images, restart, rollout, router, strategies, swarm).
# Results: bench/results/<benchmark>-<YYYY-MM-DD>.md (each run appends a section with the
# command, date, machine, versions and figures). See bench/README.md.
#
# Usage: bench/run.sh [NAME...]      (no NAME = all; e.g. `bench/run.sh restart`)
# Environment: passed through to each benchmark (BENCH_RUNS, BENCH_REQUIRE_DOCKER, ...);
# BENCH_TIMEOUT (seconds, default 2400) bounds each benchmark.
set -uo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$bench/.."

names=("$@")
if (( ${#names[@]} == 0 )); then
  for f in "$bench"/*/run.sh; do names+=("$(basename "$(dirname "$f")")"); done
fi
export BENCH_COMMAND="bench/run.sh${*:+ $*}"
failed=()
for name in "${names[@]}"; do
  script="$bench/$name/run.sh"
  [[ -x "$script" ]] || { echo "bench: no benchmark named '$name' ($script)" >&2; failed+=("$name"); continue; }
  echo "=== bench: $name ===" >&2
  start=$(date +%s)
  # Each benchmark bounds its own waits; this outer limit (BENCH_TIMEOUT seconds, default 2400) is a last resort.
  if timeout --kill-after=30s "${BENCH_TIMEOUT:-2400}s" "$script"; then
    echo "=== bench: $name done in $(( $(date +%s) - start ))s ===" >&2
  else
    echo "=== bench: $name FAILED (exit $?) ===" >&2
    failed+=("$name")
  fi
done
if (( ${#failed[@]} )); then echo "bench: failed: ${failed[*]}" >&2; exit 1; fi
echo "bench: all done; results in bench/results/" >&2

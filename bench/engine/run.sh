#!/usr/bin/env bash
# bench/engine — one engine pass over 1,000 services × 10 replicas (a settled fleet: nothing to change, what the
# engine's resync does every 5 s), with the engine's fakes (runtime, router, KPI source) on a real SQLite store.
#
#   BenchmarkDotNet (MemoryDiagnoser, in process): one pass with one worker and with the engine's four workers: time and memory
#   allocated per pass; and the first pass after a restart (Cold*: the store's caches empty, every service read from SQLite). Then the footprint: the working set of a process holding that fleet (store, engine, fakes).
#   Then `service ls` and `ps` over the same fleet, server side (ServiceQueries + the JSON body), warm and cold.
#   Goals: a pass ≤ 50 ms, the footprint ≤ 200 MB (issue 16); service ls and ps ≤ 100 ms (issue 19). There is no peer for an engine pass: the figures are
#   absolute, as the goal is.
#   Results: bench/results/engine-YYYY-MM-DD.md (command, date, machine, figures).
#
# Usage: bench/engine/run.sh
# Environment:
#   BENCH_ENGINE_SERVICES=1000 BENCH_ENGINE_REPLICAS=10   the fleet
#   BENCH_ENGINE_JOB=short     BenchmarkDotNet job (short: 3 warm-ups, 3 iterations; default: its own default job)
#   BENCH_RESULTS_DIR=DIR      where the markdown goes (default bench/results)
#   BENCH_COMMAND              the command line recorded in the results (set by bench/run.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"

services="${BENCH_ENGINE_SERVICES:-1000}"
replicas="${BENCH_ENGINE_REPLICAS:-10}"
job="${BENCH_ENGINE_JOB:-short}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/engine/run.sh}"
work="$repo/bench/.work/engine"
say() { echo "[engine] $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"

say "building bench/engine (Release)"
dotnet build "$here/EngineBench.csproj" -c Release -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dll="$repo/artifacts/bin/EngineBench/release/EngineBench.dll"

say "footprint: $services services × $replicas replicas"
footprint="$(dotnet "$dll" footprint "$services" "$replicas")"
say "$footprint"

say "BenchmarkDotNet (job $job)"
(cd "$work" && dotnet "$dll" --filter '*' --job "$job" --artifacts "$work/bdn" --inProcess >"$work/bdn.log" 2>&1) \
  || { tail -50 "$work/bdn.log" >&2; exit 1; }
pass_table="$(ls "$work"/bdn/results/*EnginePassBenchmark-report-github.md)"
query_table="$(ls "$work"/bdn/results/*QueryBenchmark-report-github.md)"

out="$results_dir/engine-$(date -u +%Y-%m-%d).md"
{
  [[ -s "$out" ]] || echo "# Engine pass benchmark"
  bench_header "engine: one pass over $services services × $replicas replicas" "$command_line"
  echo "Goals: one pass ≤ 50 ms, footprint ≤ 200 MB (issue 16); \`service ls\` and \`ps\` ≤ 100 ms server side (issue 19)."
  echo "A settled fleet: every replica runs, nothing to change."
  echo
  echo "Footprint (one process holding the fleet, after one 4-worker pass and a GC): \`$footprint\`"
  echo
  echo "BenchmarkDotNet (\`--job $job\`; Mean = one pass over every service; Allocated = per pass; Cold* = the first pass after a restart):"
  echo
  sed -n '/^|/,$p' "$pass_table"
  echo
  echo "\`service ls\` and \`ps\` server side (the API's read model and its JSON body; Cold* = right after a restart):"
  echo
  sed -n '/^|/,$p' "$query_table"
} >>"$out"
say "results: $out"

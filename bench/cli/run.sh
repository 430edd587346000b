#!/usr/bin/env bash
# bench/cli — how long a `berth` command takes, start to exit, next to `docker service ls`.
#
#   The package's AOT-compiled `berth` (scripts/package.sh; made when missing, BENCH_REPACKAGE=1 to remake it) against
#   its own `berth server` (handed over to berth-server), with a stack of two cheap services (`sleep` processes):
#     bg   blue/green, release 2 promoted while blue still runs (scale_down_delay 1h)
#     can  canary with 300 `pause: {}` steps, release 2 waiting: each `promote` ends one pause
#   and, for the rollback series only (deployed before it, removed after it), a stack `benchrb` of one such blue/green
#   service per measured call, bg0…bgN: a rollback flips its service back to blue, so a second one would have no
#   earlier release to go to (a refusal, exit 2) — each measured call is a real rollback of its own service;
#   and the Docker Swarm of scripts/start-docker.sh with two services of the example image (articles:1,
#   scripts/build-example-image.sh when missing), so both sides list two services.
#   Measured, each interleaved with `docker service ls` (A B A B ..., ratio taken pair by pair): `berth service ls`,
#   `berth ps`, `berth rollback --detach`, `berth promote`, and `./berth service ls` (a clone's Release JIT build).
#   No token is given: the CLI finds the local admin token through GET /healthz, as on the quick start.
#   Results: bench/results/cli-YYYY-MM-DD.md (command, date, machine, load, figures, ratios).
#
# Usage: bench/cli/run.sh
# Environment:
#   BENCH_RUNS=40          measured pairs per command (after BENCH_WARMUP=3 unrecorded pairs)
#   BENCH_REPACKAGE=1      remake the package even when artifacts/package/berth-VERSION-RID/berth exists
#   BENCH_RESULTS_DIR=DIR  where the markdown goes (default bench/results)
#   BENCH_COMMAND          the command line recorded in the results (set by bench/run.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

runs="${BENCH_RUNS:-40}"
warmup="${BENCH_WARMUP:-3}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/cli/run.sh}"
work="$repo/bench/.work/cli"
stack="benchcli"
docker_services=(benchcli_bg benchcli_can)
measure=(python3 "$here/measure.py")

say() { echo "[cli] $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
started_at=$(date +%s)
command -v python3 >/dev/null || { say "installing python3 (apt-get)"; apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
command -v curl >/dev/null || { say "installing curl (apt-get)"; apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

server_pid=""
port=""
swarm_created=0
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$port" ]]; then
    timeout 60 "$berth" rm --host "127.0.0.1:$port" "$stack" >/dev/null 2>&1
  fi
  stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  if (( swarm_created )); then docker service rm "${docker_services[@]}" >/dev/null 2>&1; fi
  exit "$rc"
}
trap cleanup EXIT

# ------------------------------------------------------------------ the builds: package (AOT client) and Release
ensure_package "$work"
berth="$package/berth"
say "building the Release build that ./berth runs"
./berth --help >/dev/null

# ------------------------------------------------------------------ Docker: the yardstick
./scripts/start-docker.sh >"$work/docker.log" 2>&1 || { cat "$work/docker.log" >&2; say "no Docker engine: the comparison needs one"; exit 1; }
if ! docker image inspect articles:1 >/dev/null 2>&1; then
  say "building the example image articles:1 (scripts/build-example-image.sh)"
  ./scripts/build-example-image.sh >"$work/image.log" 2>&1 || { cat "$work/image.log" >&2; exit 1; }
fi
docker service rm "${docker_services[@]}" >/dev/null 2>&1 || true
for service in "${docker_services[@]}"; do
  docker service create --detach --quiet --no-resolve-image --name "$service" --replicas 1 articles:1 >/dev/null
done
swarm_created=1

# ------------------------------------------------------------------ Berth: server and stack
port="$(free_port)"
data_dir="$work/data"
say "starting $berth server on 127.0.0.1:$port"
nohup "$berth" server --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" || { cat "$work/server.log" >&2; say "the server did not start"; exit 1; }
unset BERTH_TOKEN  # the CLI finds the local admin token itself (GET /healthz), as users on the server's machine do
export BERTH_HOST="http://127.0.0.1:$port"

python3 - "$work/stack.yml" <<'PY'
import sys
pauses = "\n".join("          - pause: {}" for _ in range(300))
open(sys.argv[1], "w").write(f"""services:
  bg:
    environment: {{RELEASE: "${{BENCH_RELEASE:-1}}"}}
    x-berth:
      process: {{command: ["sleep", "86400"]}}
      strategy: blue-green
      blue_green: {{auto_promote: false, scale_down_delay: 1h}}
  can:
    environment: {{RELEASE: "${{BENCH_RELEASE:-1}}"}}
    x-berth:
      process: {{command: ["sleep", "86400"]}}
      strategy: canary
      canary:
        steps:
{pauses}
""")
PY
BENCH_RELEASE=1 "$berth" deploy -c "$work/stack.yml" "$stack" >"$work/deploy.log" 2>&1
BENCH_RELEASE=2 "$berth" deploy --detach -c "$work/stack.yml" "$stack" >>"$work/deploy.log" 2>&1
shows() {  # SERVICE PATTERN: true once `berth rollout status SERVICE` shows PATTERN (at most 60 s)
  for _ in $(seq 1 120); do
    # (read whole, then matched: grep -q closing the pipe early would fail the pipeline under pipefail)
    grep -q "$2" <<<"$("$berth" rollout status "$1" 2>/dev/null || true)" && return 0
    sleep 0.5
  done
  return 1
}
shows "${stack}_bg" 'State .*paused' && shows "${stack}_can" 'State .*paused' || { say "the rollouts of $stack did not pause"; exit 1; }
"$berth" promote "${stack}_bg" >>"$work/deploy.log" 2>&1  # green serves, blue still runs (scale_down_delay 1h)
sleep 2

# ------------------------------------------------------------------ measurements
tsv="$work/runs.tsv"
: >"$tsv"
yardstick="docker service ls"
series() {  # LABEL COMMAND
  say "$1: $runs pairs with \`$yardstick\`"
  "${measure[@]}" run "$1" "$runs" "$warmup" "$2" "$yardstick" >>"$tsv"
}
series '`berth service ls` (AOT)' "$berth service ls"
series '`berth ps benchcli` (AOT)' "$berth ps $stack"
rollbacks=benchrb
blue_greens=$(( warmup + runs ))
say "deploying $rollbacks: $blue_greens blue/green services, release 2 promoted, blue still running"
python3 - "$work/rollbacks.yml" "$blue_greens" <<'PY'
import sys
open(sys.argv[1], "w").write("services:\n" + "".join(f"""  bg{i}:
    environment: {{RELEASE: "${{BENCH_RELEASE:-1}}"}}
    x-berth:
      process: {{command: ["sleep", "86400"]}}
      strategy: blue-green
      blue_green: {{auto_promote: false, scale_down_delay: 1h}}
""" for i in range(int(sys.argv[2]))))
PY
BENCH_RELEASE=1 "$berth" deploy -c "$work/rollbacks.yml" "$rollbacks" >"$work/rollbacks.log" 2>&1
BENCH_RELEASE=2 "$berth" deploy --detach -c "$work/rollbacks.yml" "$rollbacks" >>"$work/rollbacks.log" 2>&1
for i in $(seq 0 $(( blue_greens - 1 ))); do
  shows "${rollbacks}_bg$i" 'State .*paused' || { say "${rollbacks}_bg$i did not wait for its promotion"; exit 1; }
  "$berth" promote "${rollbacks}_bg$i" >>"$work/rollbacks.log" 2>&1
done
for i in $(seq 0 $(( blue_greens - 1 ))); do
  shows "${rollbacks}_bg$i" 'Phase .*promoted' || { say "${rollbacks}_bg$i was not promoted"; exit 1; }
done
series '`berth rollback benchrb_bgN --detach` (AOT, blue/green, blue running; one service per call)' "$berth rollback ${rollbacks}_bg{n} --detach"
"$berth" rm "$rollbacks" >>"$work/rollbacks.log" 2>&1
wait_no_replicas "$port" "$rollbacks"
series '`berth promote benchcli_can` (AOT, canary pause)' "$berth promote ${stack}_can"
series '`./berth service ls` (a clone: Release build, JIT)' "$repo/berth service ls"

# ------------------------------------------------------------------ report
elapsed=$(( $(date +%s) - started_at ))
out="$results_dir/cli-$(date -u +%F).md"
[[ -f "$out" ]] || printf '# Benchmark: CLI start-up (berth vs docker service ls)\n\nSee bench/README.md (section cli) for what is measured and how to read it. Runs are appended below.\n' >"$out"
{
  bench_header "cli" "$command_line"
  echo "- client: \`$("$berth" version 2>/dev/null | head -n1)\` from ${package#"$repo/"} ($(du -h "$berth" | cut -f1), NativeAOT); server: the package's berth-server (framework-dependent, Release) on 127.0.0.1, stack \`$stack\` (2 services of \`sleep\` processes), no token given (the CLI reads the local admin token after GET /healthz)"
  echo "- yardstick: \`docker service ls\` against the same machine's single-node Swarm, 2 services of articles:1 (1 replica each)"
  echo "- method: bench/cli/measure.py — each command and \`docker service ls\` alternate (A B A B …), $warmup unrecorded pairs then $runs measured; whole process (posix_spawn to wait4), output to /dev/null; ratio = median of the pairs' A/B. load1 at the start of each series. Total time: ${elapsed}s."
  echo
  "${measure[@]}" report "$tsv"
  echo
} | tee -a "$out"
say "results appended to ${out#"$repo/"} (${elapsed}s)"

#!/usr/bin/env bash
# bench/restart — time from killing a replica to its replacement answering HTTP.
#
#   a) Berth (process runtime): kill -9 of a replica's process, restart_policy any / delay 0s,
#      1 replica, then 1 of 3 replicas.
#   b) Docker Swarm (when an engine can be started): `docker kill` (SIGKILL) and
#      `docker container stop` (SIGTERM) of the task's container, restart delay 0s and the
#      default 5s.
#   c) A table of medians and ratios (Swarm / Berth), appended with the machine and versions to
#      bench/results/restart-YYYY-MM-DD.md.
#
# Usage: bench/restart/run.sh
# Environment:
#   BENCH_RUNS=10             kills per series (Swarm series with a 5 s delay: min(BENCH_RUNS, BENCH_SLOW_RUNS))
#   BENCH_SLOW_RUNS=6         cap for the slow Swarm series (default restart delay 5 s)
#   BENCH_SKIP_DOCKER=1       Berth only
#   BENCH_REQUIRE_DOCKER=1    fail (exit 1) when no Docker engine can be started, instead of skipping
#   BENCH_RESULTS_DIR=DIR     where the markdown goes (default bench/results)
#   BENCH_COMMAND             the command line recorded in the results (set by bench/run.sh)
# Every wait is bounded; a timeout is recorded as a failed run, never a hang.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

runs="${BENCH_RUNS:-10}"
slow_runs="${BENCH_SLOW_RUNS:-6}"
(( slow_runs > runs )) && slow_runs="$runs"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/restart/run.sh}"
work="$repo/bench/.work/restart"
stack="benchrestart"
service="berth-bench-restart"
image="articles:bench"
measure=(python3 "$here/measure.py")

say() { echo "[restart] $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
started_at=$(date +%s)

command -v python3 >/dev/null || { say "installing python3 (apt-get)"; apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
command -v curl >/dev/null || { say "installing curl (apt-get)"; apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

server_pid=""
port=""
data_dir=""
replica_pids_file="$work/replica-pids"
: >"$replica_pids_file"
swarm_created=0

remember_replica_pids() { remember_replica_pids_of "$port" "$replica_pids_file" "$stack"; }  # so cleanup can kill leftovers

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    remember_replica_pids
    say "cleanup: berth rm $stack"
    ./berth rm --host "127.0.0.1:$port" "$stack" >/dev/null 2>&1
    wait_no_replicas "$port" "$stack"   # <= 30 s for the replicas to stop
    say "cleanup: stopping the Berth server (pid $server_pid)"
    stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  fi
  kill_leftover_replicas "$replica_pids_file" "cleanup: "
  if [[ $swarm_created == 1 ]]; then
    say "cleanup: docker service rm $service"
    docker service rm "$service" >/dev/null 2>&1
  fi
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build
say "building Berth (dotnet build Berth.slnx -v q)"
dotnet build Berth.slnx -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "publishing the articles app (Release, examples/articles/publish) — used by BOTH sides"
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -v q -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }
./berth --help >/dev/null 2>&1 || true   # lets ./berth refresh its build stamp now, not during the benchmark

series_files=()

# ------------------------------------------------------------------ floor: bare app start
say "baseline: bare app start, 5 runs"
"${measure[@]}" baseline --dll examples/articles/publish/Articles.dll --runs 5 \
  --out "$work/0-baseline.json" --label "bare app start, no orchestrator (floor)" || true
[[ -f "$work/0-baseline.json" ]] && series_files+=("$work/0-baseline.json")

# ------------------------------------------------------------------ a) Berth
port="$(free_port)"
data_dir="$(mktemp -d -t berth-bench.XXXXXX)"
mkdir -p "$repo/bench/.work/restart"
say "starting the Berth server on 127.0.0.1:$port (data $data_dir)"
nohup ./berth server --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" "$data_dir" || { say "the Berth server did not answer within 60 s:"; tail -n 30 "$work/server.log" >&2; exit 1; }

berth_deploy() {  # replicas
  say "berth deploy -c bench/restart/compose.yml $stack (replicas $1)"
  BENCH_REPLICAS="$1" timeout 150 ./berth deploy --host "127.0.0.1:$port" --timeout 120s -c bench/restart/compose.yml "$stack" \
    >"$work/deploy-$1.log" 2>&1 || { cat "$work/deploy-$1.log" >&2; return 1; }
  remember_replica_pids
}

if berth_deploy 1; then
  say "Berth: kill -9, 1 replica, $runs runs"
  "${measure[@]}" berth --api "http://127.0.0.1:$port" --stack "$stack" --replicas 1 --runs "$runs" \
    --out "$work/1-berth.json" --label "Berth kill -9, 1 replica (delay 0s)" || true
  [[ -f "$work/1-berth.json" ]] && series_files+=("$work/1-berth.json")
  remember_replica_pids
fi
if berth_deploy 3; then
  say "Berth: kill -9, 1 of 3 replicas, $runs runs"
  "${measure[@]}" berth --api "http://127.0.0.1:$port" --stack "$stack" --replicas 3 --runs "$runs" \
    --out "$work/2-berth3.json" --label "Berth kill -9, 1 of 3 replicas (delay 0s)" || true
  [[ -f "$work/2-berth3.json" ]] && series_files+=("$work/2-berth3.json")
  remember_replica_pids
fi

# Stop Berth before Swarm so both sides do not share the CPUs.
cleanup_berth() {
  remember_replica_pids
  ./berth rm --host "127.0.0.1:$port" "$stack" >/dev/null 2>&1 || true
  wait_no_replicas "$port" "$stack"
  stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  server_pid=""
}
cleanup_berth

# ------------------------------------------------------------------ b) Swarm
swarm_note=""
if [[ "${BENCH_SKIP_DOCKER:-0}" == 1 ]]; then
  swarm_note="Swarm: skipped (BENCH_SKIP_DOCKER=1)."
elif ! scripts/start-docker.sh >"$work/start-docker.log" 2>&1; then
  cat "$work/start-docker.log" >&2
  if [[ "${BENCH_REQUIRE_DOCKER:-0}" == 1 ]]; then say "no Docker engine and BENCH_REQUIRE_DOCKER=1"; exit 1; fi
  swarm_note="Swarm: skipped: no engine ($(tail -n1 "$work/start-docker.log"))."
else
  scripts/base-image.sh >"$work/base-image.log" 2>&1 || { cat "$work/base-image.log" >&2; exit 1; }
  say "docker build -t $image examples/articles"
  docker build -q -t "$image" examples/articles >"$work/docker-build.log" 2>&1 || { cat "$work/docker-build.log" >&2; exit 1; }
  docker service rm "$service" >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do docker ps -q --filter "label=com.docker.swarm.service.name=$service" | grep -q . || break; sleep 0.5; done
  say "docker service create $service (restart delay 5s, healthcheck curl /healthz every 1s)"
  swarm_created=1
  # /data on a tmpfs: no anonymous volume per task (the image declares VOLUME /data).
  timeout 120 docker service create --detach --quiet --name "$service" --replicas 1 \
    --restart-condition any --restart-delay 5s \
    --publish mode=host,target=8080 \
    --mount type=tmpfs,destination=/data \
    --env ARTICLES_VERSION=bench \
    --health-cmd 'curl -fsS --max-time 1 http://127.0.0.1:8080/healthz' \
    --health-interval 1s --health-timeout 1s --health-retries 3 --health-start-period 30s \
    "$image" >/dev/null

  swarm_series() {  # file label action runs
    say "Swarm: $2, $4 runs"
    "${measure[@]}" swarm --service "$service" --action "$3" --runs "$4" --budget 200 \
      --out "$work/$1.json" --label "$2" || true
    [[ -f "$work/$1.json" ]] && series_files+=("$work/$1.json")
  }
  swarm_series 5-swarm-stop-5s "Swarm docker container stop (delay 5s, default)" stop "$slow_runs"
  swarm_series 6-swarm-kill-5s "Swarm docker kill (delay 5s, default)" kill "$slow_runs"
  say "docker service update --restart-delay 0s $service"
  timeout 120 docker service update --detach --quiet --restart-delay 0s "$service" >/dev/null
  swarm_series 3-swarm-kill-0s "Swarm docker kill (delay 0s)" kill "$runs"
  swarm_series 4-swarm-stop-0s "Swarm docker container stop (delay 0s)" stop "$runs"
  docker service rm "$service" >/dev/null 2>&1 || true
  swarm_created=0
fi

# ------------------------------------------------------------------ c) report
elapsed=$(( $(date +%s) - started_at ))
out="$results_dir/restart-$(date -u +%F).md"
[[ -f "$out" ]] || printf '# Benchmark: restart (kill a replica → replacement answers HTTP)\n\nSee bench/README.md for what is measured and how to read it. Runs are appended below.\n' >"$out"
mapfile -t sorted < <(printf '%s\n' "${series_files[@]}" | sort)
{
  bench_header "restart" "$command_line"
  echo "Settings: Berth restart_policy condition any, delay 0s; health HTTP GET /healthz, start_interval 100ms, interval 1s, start_period 30s."
  echo "Swarm: restart-condition any, delay 5s (default) then 0s; health-cmd curl /healthz, interval 1s (engine 20.10 has no start_interval), start-period 30s; host-mode published port."
  echo "Both sides run the same Release build of the articles app (examples/articles/publish). Polling every 20 ms. Total time of this run: ${elapsed}s."
  echo
  if (( ${#sorted[@]} )); then "${measure[@]}" report "${sorted[@]}"; else echo "No series produced data."; fi
  [[ -n "$swarm_note" ]] && { echo; echo "$swarm_note"; }
  echo
} | tee -a "$out"
say "results appended to ${out#"$repo/"} (${elapsed}s)"

#!/usr/bin/env bash
# bench/strategies — Berth's canary and blue/green strategies measured under load (process runtime,
# loopback only). See bench/strategies/README.md.
#
#   1. Bad canary: v1 stable (4 replicas) under a steady load from many distinct users (X-User);
#      `berth deploy --detach` of v2 with ARTICLES_FAIL_RATE=0.2 under a canary (first weight 10,
#      background analysis every 5s, min_requests 20, error_rate max 5%). Per run: deploy → abort
#      (from the rollout report's timeline), failed % of all requests, and the theoretical minimum
#      (one analysis interval at weight 10 failing at 0.2) with the ratio measured / minimum.
#   2. Blue/green: green ready and waiting; a probe sends a request every few ms and records the
#      version that answered; `berth promote`, then `berth rollback` (within scale_down_delay):
#      time from the command's start until every new request gets the target version, failures.
#      Twice: through the CLI (`berth promote` / `berth rollback`, timed from the command's start) and
#      with a bare API POST on a connection opened beforehand, timed from the request (probe.py post).
#   2b. Peer for 2. through the API: the same blue and green replicas (a rollout left waiting) behind
#      nginx; the upstream file rewritten to the other colour, then `nginx -s reload`, timed from the
#      reload command's start (probe.py timed), under the same probe.
#   3. Peer for 2.: Docker Swarm `docker service update --env-add` with --update-parallelism 0
#      --update-order start-first (all at once), then `docker service rollback` (same settings),
#      host-mode ports behind nginx whose upstream is refreshed from the running tasks every
#      BENCH_SWARM_REFRESH_S — measured with the same probe. Optional (skipped with a note when no
#      engine answers, when the node has no running tasks, or with BENCH_SKIP_DOCKER=1).
#      The peer for 1. is the theoretical minimum (Swarm has no canary).
#
# Usage: bench/strategies/run.sh      (or bench/run.sh strategies)
# Environment:
#   BENCH_STRATEGY_RUNS=3     runs per part (medians reported)
#   BENCH_CANARY_RATE=100     canary load, requests/s (steady)
#   BENCH_USERS=1000          distinct users (X-User) in the load
#   BENCH_PROBE_RATE=1000     blue/green probe, requests/s (one every ms: the switch's resolution)
#   BENCH_BG_REPLICAS=2       replicas per colour (and Swarm tasks)
#   BENCH_SWARM_REFRESH_S=0.5 nginx upstream refresh period for the Swarm peer
#   BENCH_SKIP_DOCKER=1       no Swarm peer
#   BENCH_RESULTS_DIR=DIR     where the markdown goes (default bench/results)
#   BENCH_COMMAND             the command line recorded in the results (set by bench/run.sh)
# Every wait is bounded; loads only 127.0.0.1; the EXIT trap stops what it started (probes, the
# nginx refresh loop, nginx, the Berth stacks, server and replicas, the Swarm service), not dockerd.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"
# shellcheck source=../lib/swarm_front.sh
source "$repo/bench/lib/swarm_front.sh"

runs="${BENCH_STRATEGY_RUNS:-3}"
canary_rate="${BENCH_CANARY_RATE:-100}"
users="${BENCH_USERS:-1000}"
probe_rate="${BENCH_PROBE_RATE:-1000}"
bg_replicas="${BENCH_BG_REPLICAS:-2}"
refresh_s="${BENCH_SWARM_REFRESH_S:-0.5}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/strategies/run.sh}"
work="$repo/bench/.work/strategies"
probe=(python3 "$here/probe.py")
berth=(dotnet "$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll")
canary_tsv="$work/canary.tsv"
switch_tsv="$work/switch.tsv"
service="berth-bench-strategies"
image="articles:bench"

say() { echo "[strategies] $(date -u +%T) $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
started_at=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

for tool_cmd in python3 curl; do
  command -v "$tool_cmd" >/dev/null || { say "installing $tool_cmd (apt-get)"; apt-get update -qq && apt-get install -y -qq "$tool_cmd" >/dev/null; }
done

server_pid=""; port=""; data_dir=""
probe_pid=""; refresh_pid=""; nginx_pid=""; nginx_prefix="$work/nginx"
swarm_created=0
stacks=()
replica_pids_file="$work/replica-pids"; : >"$replica_pids_file"

remember_replica_pids() { remember_replica_pids_of "$port" "$replica_pids_file"; }  # all stacks

remove_stack() {  # stack: berth rm, then <= 30 s for its replicas to stop
  remember_replica_pids
  say "berth rm $1"
  timeout 60 "${berth[@]}" rm --host "127.0.0.1:$port" "$1" >/dev/null 2>&1 || true
  wait_no_replicas "$port" "$1"
}

stop_berth() {
  [[ -n "$server_pid" ]] || return 0
  for s in "${stacks[@]}"; do remove_stack "$s"; done
  stacks=()
  say "stopping the Berth server (pid $server_pid)"
  stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  server_pid=""
  kill_leftover_replicas "$replica_pids_file"
}

cleanup() {
  local rc=$?
  set +e
  stop_pid "$probe_pid" INT; probe_pid=""
  stop_pid "$refresh_pid"; refresh_pid=""
  stop_berth
  if [[ -n "$nginx_pid" ]]; then say "stopping nginx (pid $nginx_pid)"; stop_pid "$nginx_pid" QUIT; fi
  if [[ $swarm_created == 1 ]]; then
    say "docker service rm $service"
    timeout 60 docker service rm "$service" >/dev/null 2>&1
  fi
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms_since() { python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f}')" "$1" "$2"; }

# wait_rollout SERVICE RELEASE SECONDS STATE-REGEX -> 0 when the latest rollout to RELEASE is in a matching state
wait_rollout() {
  local end=$(( $(date +%s) + $3 )) to state
  while (( $(date +%s) < end )); do
    read -r to state <<<"$("${probe[@]}" rollout "http://127.0.0.1:$port/api/v1/services/$1/rollout")"
    [[ "$to" == "$2" && "$state" =~ ^($4)$ ]] && return 0
    sleep 0.5
  done
  say "rollout of $1 to $2: still '$state' (release $to) after $3 s"
  return 1
}

# wait_only_release STACK RELEASE SECONDS: every replica of the stack belongs to RELEASE
wait_only_release() {
  local end=$(( $(date +%s) + $3 ))
  while (( $(date +%s) < end )); do
    if berth_curl -s --max-time 2 "http://127.0.0.1:$port/api/v1/replicas?stack=$1" 2>/dev/null | python3 -c '
import json, sys
rs = json.load(sys.stdin)
sys.exit(0 if rs and all(r.get("release") == int(sys.argv[1]) for r in rs) else 1)' "$2" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  say "warning: $1 still has replicas of other releases than $2 after $3 s"
  return 1
}

start_probe() {  # url rate max_seconds out
  "${probe[@]}" load "$1" "$2" "$users" "$3" "$4" &
  probe_pid=$!
}
stop_probe() { stop_pid "$probe_pid" INT; wait "$probe_pid" 2>/dev/null || true; probe_pid=""; }

# ------------------------------------------------------------------ build
say "building Berth (dotnet build Berth.slnx -c Release -v q)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "publishing the articles app (Release, examples/articles/publish)"
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -v q -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }

port="$(free_port)"
data_dir="$(mktemp -d -t berth-bench-strategies.XXXXXX)"
say "starting the Berth server on 127.0.0.1:$port (data $data_dir)"
nohup "${berth[@]}" server --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" "$data_dir" || { say "the Berth server did not answer within 60 s:"; tail -n 30 "$work/server.log" >&2; exit 1; }
cli() { "${berth[@]}" "$1" --host "127.0.0.1:$port" "${@:2}"; }

printf '%s\n' "label	run	state	requests	seconds	rate	failed	failed_pct	to_v2	deploy_to_weight_s	weight_to_abort_s	deploy_to_abort_s	measurements	min_failed	min_pct	ratio	reason" >"$canary_tsv"
printf '%s\n' "label	run	phase	switch_ms	last_old_ms	requests	failed	old_after	rate	probe_gap_ms	cmd_ms	prepare_ms" >"$switch_tsv"

# ------------------------------------------------------------------ 1. bad canary
stack="benchcanary"; svc="${stack}_app"; front="$(free_port)"
stacks+=("$stack")
say "canary: berth deploy v1 (4 replicas), front door 127.0.0.1:$front"
timeout 240 env BENCH_VERSION=1 BENCH_FAIL_RATE=0 BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 180s \
  -c "$here/canary.yml" "$stack" >"$work/canary-v1.log" 2>&1 || { cat "$work/canary-v1.log" >&2; exit 1; }
remember_replica_pids
wait_http_200 "http://127.0.0.1:$front/api/articles" 60 || { say "canary front door does not answer"; exit 1; }
for i in $(seq 1 "$runs"); do
  v=$(( i + 1 ))
  samples="$work/canary-$i.samples"
  start_probe "http://127.0.0.1:$front/api/articles" "$canary_rate" 150 "$samples"
  sleep 3
  say "canary run $i: berth deploy --detach v$v (ARTICLES_FAIL_RATE=0.2) under ${canary_rate} req/s"
  t0="$(now)"
  timeout 120 env BENCH_VERSION="$v" BENCH_FAIL_RATE=0.2 BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --detach \
    -c "$here/canary.yml" "$stack" >"$work/canary-deploy-$i.log" 2>&1 || { say "deploy failed"; cat "$work/canary-deploy-$i.log" >&2; }
  remember_replica_pids
  if ! wait_rollout "$svc" "$v" 100 "aborted|completed|rolled_back|superseded"; then
    say "canary run $i: no end within 100 s: berth abort"
    timeout 60 "${berth[@]}" abort --host "127.0.0.1:$port" "$svc" >>"$work/canary-deploy-$i.log" 2>&1 || true
  fi
  sleep 2
  stop_probe
  timeout 60 "${berth[@]}" rollout report --host "127.0.0.1:$port" "$svc" --format json >"$work/canary-report-$i.json" 2>>"$work/canary-deploy-$i.log" || true
  row="$("${probe[@]}" canary "$samples" "$t0" "$work/canary-report-$i.json" 5 10 0.2 "Berth canary" "$i")"
  echo "$row" >>"$canary_tsv"
  say "canary run $i: $row"
  wait_only_release "$stack" 1 40 || true
  sleep 2
done
remove_stack "$stack"; stacks=()

# ------------------------------------------------------------------ 2. blue/green
stack="benchbg"; svc="${stack}_app"; front="$(free_port)"
stacks+=("$stack")
bg_env=(BENCH_REPLICAS="$bg_replicas" BENCH_FRONT_PORT="$front")
say "blue/green: berth deploy v1 ($bg_replicas replicas), front door 127.0.0.1:$front"
timeout 240 env BENCH_VERSION=1 "${bg_env[@]}" "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 180s \
  -c "$here/blue-green.yml" "$stack" >"$work/bg-v1.log" 2>&1 || { cat "$work/bg-v1.log" >&2; exit 1; }
remember_replica_pids
wait_http_200 "http://127.0.0.1:$front/api/articles" 60 || { say "blue/green front door does not answer"; exit 1; }

# bg_run RUN VERSION MODE(cli|api)
bg_run() {
  local i="$1" v="$2" mode="$3" label tag="bg-$3-$1"
  if [[ $mode == cli ]]; then label="Berth, berth promote / berth rollback (CLI)"; else label="Berth, API POST (timed from the request)"; fi
  say "blue/green $mode run $i: deploy v$v (green), wait until it waits for promote"
  local td tp
  td="$(now)"
  timeout 120 env BENCH_VERSION="$v" "${bg_env[@]}" "${berth[@]}" deploy --host "127.0.0.1:$port" --detach \
    -c "$here/blue-green.yml" "$stack" >"$work/$tag-deploy.log" 2>&1 || { say "deploy failed"; cat "$work/$tag-deploy.log" >&2; return 0; }
  wait_rollout "$svc" "$v" 90 "paused" || return 0
  tp="$(now)"
  remember_replica_pids
  local samples="$work/$tag.samples" t0 t0e t1 t1e t2
  start_probe "http://127.0.0.1:$front/api/articles" "$probe_rate" 60 "$samples"
  sleep 2
  t0="$(now)"
  if [[ $mode == cli ]]; then
    timeout 60 "${berth[@]}" promote --host "127.0.0.1:$port" "$svc" >"$work/$tag-promote.log" 2>&1 || say "promote failed: $(tail -n 3 "$work/$tag-promote.log")"
    t0e="$(now)"
  else
    local st
    read -r t0 t0e st < <("${probe[@]}" post "http://127.0.0.1:$port/api/v1/services/$svc/promote" '{"full":false}' "$BERTH_TOKEN")
    [[ $st == 200 ]] || say "promote POST answered $st"
  fi
  sleep 3
  t1="$(now)"
  if [[ $mode == cli ]]; then
    timeout 60 "${berth[@]}" rollback --host "127.0.0.1:$port" --detach "$svc" >"$work/$tag-rollback.log" 2>&1 || say "rollback failed: $(tail -n 3 "$work/$tag-rollback.log")"
    t1e="$(now)"
  else
    read -r t1 t1e st < <("${probe[@]}" post "http://127.0.0.1:$port/api/v1/services/$svc/rollback" '{"toRelease":null}' "$BERTH_TOKEN")
    [[ $st == 200 ]] || say "rollback POST answered $st"
  fi
  sleep 3
  t2="$(now)"
  stop_probe
  "${probe[@]}" switch "$samples" "$t0" "$t1" "$v" "$label" "$i" promote "$(ms_since "$t0" "$t0e")" "$(ms_since "$td" "$tp")" >>"$switch_tsv"
  "${probe[@]}" switch "$samples" "$t1" "$t2" 1 "$label" "$i" rollback "$(ms_since "$t1" "$t1e")" >>"$switch_tsv"
  say "blue/green $mode run $i: $(tail -n 2 "$switch_tsv" | cut -f3-12 | tr '\n\t' '; ')"
  wait_only_release "$stack" 1 60 || true
  sleep 1
}
v=1
for i in $(seq 1 "$runs"); do v=$(( v + 1 )); bg_run "$i" "$v" cli; done
for i in $(seq 1 "$runs"); do v=$(( v + 1 )); bg_run "$i" "$v" api; done

# ------------------------------------------------------------------ 2b. nginx peer: the switch by `nginx -s reload`
nginx_label="nginx, upstream rewritten + nginx -s reload (the same blue and green replicas)"

write_colour() {  # PREFIX ENDPOINT...: the nginx upstream file naming these replicas
  local prefix="$1"; shift
  { echo "upstream articles {"; for e in "$@"; do echo "    server $e;"; done; echo "    keepalive 32;"; echo "}"; } >"$prefix/upstream.conf"
}

colour_endpoints() {  # STACK RELEASE: the running replicas' endpoints of that release, space-separated
  berth_curl -s --max-time 5 "http://127.0.0.1:$port/api/v1/replicas?stack=$1" | python3 -c '
import json, sys
print(" ".join(r["endpoint"] for r in json.load(sys.stdin) if r.get("release") == int(sys.argv[1]) and r.get("state") == "running" and r.get("endpoint")))' "$2"
}

nginx_peer() {
  command -v nginx >/dev/null || { say "installing nginx (apt-get)"; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
  v=$(( v + 1 ))
  say "nginx peer: deploy v$v (green) and leave it waiting; nginx in front of the replicas of one colour"
  timeout 120 env BENCH_VERSION="$v" "${bg_env[@]}" "${berth[@]}" deploy --host "127.0.0.1:$port" --detach \
    -c "$here/blue-green.yml" "$stack" >"$work/nginx-peer-deploy.log" 2>&1 || { say "deploy failed"; return 0; }
  wait_rollout "$svc" "$v" 90 "paused" || return 0
  remember_replica_pids
  local blue green prefix="$work/nginx-bg" nport
  read -r -a blue <<<"$(colour_endpoints "$stack" 1)"
  read -r -a green <<<"$(colour_endpoints "$stack" "$v")"
  (( ${#blue[@]} == bg_replicas && ${#green[@]} == bg_replicas )) || { say "nginx peer: expected $bg_replicas replicas per colour, got blue ${blue[*]}, green ${green[*]}"; return 0; }
  mkdir -p "$prefix"; nport="$(free_port)"
  write_colour "$prefix" "${blue[@]}"
  swarm_front_start strategies-bg "$prefix" "$nport" "$work" || return 0
  nginx_pid=$swarm_front_pid
  wait_http_200 "http://127.0.0.1:$nport/api/articles" 30 || { say "nginx peer: nginx does not answer"; return 0; }
  local i samples t0 t0e t1 t1e t2 rc
  for i in $(seq 1 "$runs"); do
    samples="$work/nginx-bg-$i.samples"
    start_probe "http://127.0.0.1:$nport/api/articles" "$probe_rate" 60 "$samples"
    sleep 2
    write_colour "$prefix" "${green[@]}"
    read -r t0 t0e rc < <("${probe[@]}" timed nginx -p "$prefix/" -c "$prefix/nginx.conf" -s reload 2>>"$prefix/reload.log")
    sleep 3
    write_colour "$prefix" "${blue[@]}"
    read -r t1 t1e rc < <("${probe[@]}" timed nginx -p "$prefix/" -c "$prefix/nginx.conf" -s reload 2>>"$prefix/reload.log")
    sleep 3
    t2="$(now)"
    stop_probe
    "${probe[@]}" switch "$samples" "$t0" "$t1" "$v" "$nginx_label" "$i" promote "$(ms_since "$t0" "$t0e")" >>"$switch_tsv"
    "${probe[@]}" switch "$samples" "$t1" "$t2" 1 "$nginx_label" "$i" rollback "$(ms_since "$t1" "$t1e")" >>"$switch_tsv"
    say "nginx peer run $i: $(tail -n 2 "$switch_tsv" | cut -f3-12 | tr '\n\t' '; ')"
  done
  stop_pid "$nginx_pid" QUIT; nginx_pid=""
  timeout 60 "${berth[@]}" abort --host "127.0.0.1:$port" "$svc" >"$work/nginx-peer-abort.log" 2>&1 || true
  wait_only_release "$stack" 1 60 || true
}
nginx_peer
stop_berth   # Berth and Swarm never share the CPUs

# ------------------------------------------------------------------ 3. Swarm peer (optional)
swarm_note=""
if [[ "${BENCH_SKIP_DOCKER:-0}" == 1 ]]; then
  swarm_note="Swarm peer: skipped (BENCH_SKIP_DOCKER=1)."
elif ! timeout 300 scripts/start-docker.sh >"$work/start-docker.log" 2>&1; then
  swarm_note="Swarm peer: skipped: no Docker engine ($(tail -n1 "$work/start-docker.log"))."
elif [[ "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != active ]]; then
  swarm_note="Swarm peer: skipped: this node is not in an active swarm."
else
  swarm_label="Swarm, service update --update-parallelism 0 --update-order start-first, nginx + ${refresh_s}s upstream refresh"
  swarm_ok=1
  command -v nginx >/dev/null || { say "installing nginx (apt-get)"; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
  if ! timeout 600 scripts/base-image.sh >"$work/base-image.log" 2>&1; then swarm_ok=0; swarm_note="Swarm peer: skipped: base image failed ($(tail -n1 "$work/base-image.log"))."; fi
  if [[ $swarm_ok == 1 ]] && ! timeout 300 docker build -q -t "$image" examples/articles >"$work/docker-build.log" 2>&1; then
    swarm_ok=0; swarm_note="Swarm peer: skipped: docker build failed ($(tail -n1 "$work/docker-build.log"))."
  fi
  if [[ $swarm_ok == 1 ]]; then
    timeout 60 docker service rm "$service" >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do docker ps -q --filter "label=com.docker.swarm.service.name=$service" | grep -q . || break; sleep 0.5; done
    say "docker service create $service ($bg_replicas replicas; update and rollback: parallelism 0, start-first)"
    swarm_created=1
    timeout 180 docker service create --detach --quiet --name "$service" --replicas "$bg_replicas" \
      --publish mode=host,target=8080 --mount type=tmpfs,destination=/data \
      --restart-condition any --restart-delay 0s \
      --update-parallelism 0 --update-order start-first --update-delay 0s --update-failure-action pause \
      --rollback-parallelism 0 --rollback-order start-first --rollback-delay 0s \
      --health-cmd 'curl -fsS --max-time 5 http://127.0.0.1:8080/healthz' \
      --health-interval 1s --health-timeout 5s --health-retries 3 --health-start-period 30s \
      --env ARTICLES_VERSION=1 "$image" >"$work/service-create.log" 2>&1 || { swarm_ok=0; swarm_note="Swarm peer: skipped: service create failed ($(tail -n1 "$work/service-create.log"))."; }
  fi
  swarm_ready() {  # <= $1 s until $bg_replicas tasks run (the other helper may drain the node briefly)
    local n=0 end=$(( $(date +%s) + $1 ))
    while (( $(date +%s) < end )); do
      n=$(swarm_front_ports "$service" 2>/dev/null | wc -l); [[ $n == "$bg_replicas" ]] && return 0; sleep 0.5
    done
    say "Swarm: $n of $bg_replicas tasks running after $1 s"; return 1
  }
  if [[ $swarm_ok == 1 ]] && ! swarm_ready 120; then
    swarm_ok=0; swarm_note="Swarm peer: skipped: tasks not running within 120 s (node drained or engine busy?)."
    docker service ps --no-trunc "$service" >"$work/service-ps.txt" 2>&1 || true
  fi
  if [[ $swarm_ok == 1 ]]; then
    nginx_front="$(free_port)"
    swarm_front_write_upstream "$nginx_prefix" "$service" || true
    swarm_front_start strategies "$nginx_prefix" "$nginx_front" "$work" || exit 1
    nginx_pid=$swarm_front_pid
    wait_http_200 "http://127.0.0.1:$nginx_front/api/articles" 60 || { say "nginx front does not answer"; exit 1; }
    "${probe[@]}" swarm-refresh "$service" "$nginx_prefix" "$refresh_s" 900 &
    refresh_pid=$!
    sv=1; done_runs=0
    for i in $(seq 1 "$runs"); do
      swarm_ready 60 || { say "Swarm run $i skipped: tasks not running"; continue; }
      sleep 2   # the refresh loop has the current ports
      sv=$(( sv + 1 )); tag="swarm-$i"; samples="$work/$tag.samples"
      start_probe "http://127.0.0.1:$nginx_front/api/articles" "$probe_rate" 240 "$samples"
      sleep 2
      say "Swarm run $i: docker service update --env-add ARTICLES_VERSION=$sv (all at once, start-first)"
      t0="$(now)"
      timeout 120 docker service update --detach=false --quiet --env-add "ARTICLES_VERSION=$sv" "$service" >"$work/$tag-update.log" 2>&1 || say "update: rc $? $(tail -n 2 "$work/$tag-update.log")"
      t0e="$(now)"
      sleep 3
      t1="$(now)"
      say "Swarm run $i: docker service rollback"
      timeout 120 docker service rollback --detach=false --quiet "$service" >"$work/$tag-rollback.log" 2>&1 || say "rollback: rc $? $(tail -n 2 "$work/$tag-rollback.log")"
      t1e="$(now)"
      sleep 3
      t2="$(now)"
      stop_probe
      "${probe[@]}" switch "$samples" "$t0" "$t1" "$sv" "$swarm_label" "$i" update "$(ms_since "$t0" "$t0e")" >>"$switch_tsv"
      "${probe[@]}" switch "$samples" "$t1" "$t2" 1 "$swarm_label" "$i" rollback "$(ms_since "$t1" "$t1e")" >>"$switch_tsv"
      say "Swarm run $i: $(tail -n 2 "$switch_tsv" | cut -f3-12 | tr '\n\t' '; ')"
      done_runs=$(( done_runs + 1 ))
    done
    (( done_runs == runs )) || swarm_note="Swarm peer: only $done_runs of $runs runs (tasks not running before the others)."
    stop_pid "$refresh_pid"; refresh_pid=""
    stop_pid "$nginx_pid" QUIT; nginx_pid=""
  fi
  if [[ $swarm_created == 1 ]]; then timeout 60 docker service rm "$service" >/dev/null 2>&1 || true; swarm_created=0; fi
fi

# ------------------------------------------------------------------ report
elapsed=$(( $(date +%s) - started_at ))
out="$results_dir/strategies-$(date -u +%F).md"
[[ -f "$out" ]] || printf '# Benchmark: strategies (bad canary; blue/green switch and rollback)\n\nSee bench/strategies/README.md for what is measured, how, and the fairness notes. Runs are appended below.\n' >"$out"
{
  bench_header "strategies" "$command_line"
  echo "Load average (1/5/15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(nproc) CPUs. Total time of this run: ${elapsed}s."
  echo
  echo "Settings: Berth process runtime, Release build, articles app Release publish; health GET /healthz (start_interval 200ms)."
  echo "Canary: 4 replicas of v1; v2 with ARTICLES_FAIL_RATE=0.2; steps weight 10 → pause 60s → weight 50; background analysis interval 5s,"
  echo "min_requests 20, error_rate max 5% (failure_limit 0); load ${canary_rate} req/s steady from ${users} users (X-User = x-berth.router.user_header) on GET /api/articles."
  echo "Blue/green: ${bg_replicas} replicas per colour, auto_promote false, scale_down_delay 60s; probe ${probe_rate} req/s (${users} users); promote, 3 s, rollback, 3 s."
  echo "Swarm peer: ${bg_replicas} tasks, --update/--rollback-parallelism 0, start-first, delay 0s, health every 1s; host-mode ports behind nginx (2 workers,"
  echo "keepalive, proxy_next_upstream error timeout http_502), upstream rewritten from the running tasks every ${refresh_s}s + nginx -s reload."
  echo
  "${probe[@]}" report "$canary_tsv" "$switch_tsv"
  [[ -n "$swarm_note" ]] && { echo; echo "$swarm_note"; }
  echo
} | tee -a "$out"
say "results appended to ${out#"$repo/"} (${elapsed}s)"

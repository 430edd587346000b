#!/usr/bin/env bash
# bench/rollout — a rolling update of 6 replicas (parallelism 2, start-first, monitor 2s, delay 0s,
# failure_action pause) under wrk load through a front door: wall time and failed requests.
#
#   a) Berth (process runtime): `berth deploy` of v2, v3, v4 while wrk loads Berth's front door
#      (its built-in router) on 127.0.0.1:FRONT.
#   b) Docker Swarm (when an engine can be started): the same update_config with
#      `docker service update --env-add ARTICLES_VERSION=N --detach=false`, host-mode published
#      ports (no ingress mesh here) behind nginx, in two variants:
#        - "static nginx": the upstream lists the tasks' ports as they were before the update
#          (what an external LB without service discovery sees: new tasks get NEW host ports);
#        - "nginx + 1 s refresh": a bounded loop re-reads the running tasks' ports every 1 s
#          during the update and reloads nginx when the set changes (best-effort external LB).
#   c) Medians, failure % and ratios Swarm/Berth, appended with the machine and versions to
#      bench/results/rollout-YYYY-MM-DD.md. See bench/rollout/README.md.
#
# Usage: bench/rollout/run.sh
# Environment:
#   BENCH_ROLLOUT_RUNS=3      rolling updates per target (median reported)
#   BENCH_WRK_CONNECTIONS=16  wrk -c
#   BENCH_SKIP_DOCKER=1       Berth only
#   BENCH_REQUIRE_DOCKER=1    fail (exit 1) when no Docker engine can be started, instead of skipping
#   BENCH_RESULTS_DIR=DIR     where the markdown goes (default bench/results)
#   BENCH_COMMAND             the command line recorded in the results (set by bench/run.sh)
# Every wait is bounded; loads only 127.0.0.1; the EXIT trap stops everything it started
# (wrk, the refresh loop, nginx, the Berth server and its replicas, the Swarm service), not dockerd.
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

runs="${BENCH_ROLLOUT_RUNS:-3}"
conns="${BENCH_WRK_CONNECTIONS:-16}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/rollout/run.sh}"
work="$repo/bench/.work/rollout"
stack="benchrollout"
berth_service="${stack}_app"
service="berth-bench-rollout"
image="articles:bench"
tool=(python3 "$here/tool.py")
berth=(dotnet "$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll")
tsv="$work/runs.tsv"
pre_s=2    # wrk runs this long before the update starts
post_s=2   # ... and this long after it completed

say() { echo "[rollout] $(date -u +%T) $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
started_at=$(date +%s)

for tool_cmd in python3 curl wrk; do
  command -v "$tool_cmd" >/dev/null || { say "installing $tool_cmd (apt-get)"; apt-get update -qq && apt-get install -y -qq "$tool_cmd" >/dev/null; }
done

server_pid=""; port=""; data_dir=""
wrk_pid=""; refresh_pid=""; nginx_pid=""; nginx_prefix="$work/nginx"
swarm_created=0
replica_pids_file="$work/replica-pids"; : >"$replica_pids_file"

remember_replica_pids() { remember_replica_pids_of "$port" "$replica_pids_file" "$stack"; }

stop_berth() {
  [[ -n "$server_pid" ]] || return 0
  remember_replica_pids
  say "berth rm $stack; stopping the Berth server (pid $server_pid)"
  timeout 60 "${berth[@]}" rm --host "127.0.0.1:$port" "$stack" >/dev/null 2>&1 || true
  wait_no_replicas "$port" "$stack"
  stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  server_pid=""
  kill_leftover_replicas "$replica_pids_file"
}

cleanup() {
  local rc=$?
  set +e
  stop_pid "$wrk_pid" INT; wrk_pid=""
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

printf '%s\n' "target	run	version	rc	wall_s	server_state	server_s	requests	non2xx	connect	read	write	timeout	p50_ms	p99_ms	load1_before	load1_after" >"$tsv"

# measure TARGET RUN VERSION URL SERVER_TIME_FN -- UPDATE_COMMAND...
# wrk (-t1 -c$conns) runs pre_s before the update, during it, and post_s after it; wall time =
# the update command's own duration (it waits until the rollout completes).
measure() {
  local target="$1" run="$2" version="$3" url="$4" server_fn="$5"; shift 6
  local tag; tag="$(echo "$target-$run" | tr -c 'a-zA-Z0-9-\n' '_')"
  local l0; l0="$(load1)"
  wrk -t1 -c"$conns" -d600s --latency -s "$here/wrk.lua" "$url" >"$work/wrk-$tag.txt" 2>&1 &
  wrk_pid=$!
  sleep "$pre_s"
  say "$target run $run: update to v$version under load"
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  timeout 240 "$@" >"$work/update-$tag.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  sleep "$post_s"
  stop_pid "$wrk_pid" INT; wrk_pid=""
  local wall server
  wall=$(python3 -c "print(f'{$t1 - $t0:.3f}')")
  server="$($server_fn 2>/dev/null || echo '? -')"
  read -r s_state s_secs <<<"$server"
  read -r req non2xx c r w to p50 p99 <<<"$("${tool[@]}" wrk-result "$work/wrk-$tag.txt")"
  printf '%s\t' "$target" "$run" "$version" "$rc" "$wall" "$s_state" "$s_secs" "$req" "$non2xx" "$c" "$r" "$w" "$to" "$p50" "$p99" "$l0" >>"$tsv"
  load1 >>"$tsv"
  say "$target run $run: rc=$rc wall=${wall}s server=$s_state ${s_secs}s requests=$req non2xx=$non2xx socket(c/r/w/t)=$c/$r/$w/$to"
  [[ $rc == 0 ]] || tail -n 20 "$work/update-$tag.log" >&2
}

# ------------------------------------------------------------------ build
say "building Berth (dotnet build Berth.slnx -c Release -v q)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "publishing the articles app (Release, examples/articles/publish) — used by BOTH sides"
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -v q -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }

# ------------------------------------------------------------------ a) Berth
port="$(free_port)"; front="$(free_port)"
data_dir="$(mktemp -d -t berth-bench-rollout.XXXXXX)"
say "starting the Berth server on 127.0.0.1:$port (data $data_dir), front door 127.0.0.1:$front"
nohup "${berth[@]}" server --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" "$data_dir" || { say "the Berth server did not answer within 60 s:"; tail -n 30 "$work/server.log" >&2; exit 1; }

berth_server_time() { "${tool[@]}" berth-rollout "http://127.0.0.1:$port/api/v1/services/$berth_service/rollout"; }

say "berth deploy v1 (6 replicas)"
timeout 240 env BENCH_VERSION=1 BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 180s \
  -c bench/rollout/compose.yml "$stack" >"$work/deploy-v1.log" 2>&1 || { cat "$work/deploy-v1.log" >&2; exit 1; }
remember_replica_pids
wait_http_200 "http://127.0.0.1:$front/api/articles" 60 || { say "front door does not answer"; exit 1; }
sleep 2
berth_label="Berth (process runtime, built-in router)"
for i in $(seq 1 "$runs"); do
  v=$(( i + 1 ))
  measure "$berth_label" "$i" "$v" "http://127.0.0.1:$front/api/articles" berth_server_time -- \
    env BENCH_VERSION="$v" BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 180s -c bench/rollout/compose.yml "$stack"
  remember_replica_pids
  sleep 1
done
# Stop Berth before Swarm so both sides do not share the CPUs.
stop_berth

# ------------------------------------------------------------------ b) Swarm
swarm_note=""
write_upstream() { swarm_front_write_upstream "$nginx_prefix" "$service"; }
nginx_reload() { swarm_front_reload "$nginx_prefix"; }
swarm_server_time() { "${tool[@]}" swarm-update "$service"; }

if [[ "${BENCH_SKIP_DOCKER:-0}" == 1 ]]; then
  swarm_note="Swarm: skipped (BENCH_SKIP_DOCKER=1)."
elif ! scripts/start-docker.sh >"$work/start-docker.log" 2>&1; then
  cat "$work/start-docker.log" >&2
  if [[ "${BENCH_REQUIRE_DOCKER:-0}" == 1 ]]; then say "no Docker engine and BENCH_REQUIRE_DOCKER=1"; exit 1; fi
  swarm_note="Swarm: skipped: no engine ($(tail -n1 "$work/start-docker.log"))."
else
  command -v nginx >/dev/null || { say "installing nginx (apt-get)"; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
  scripts/base-image.sh >"$work/base-image.log" 2>&1 || { cat "$work/base-image.log" >&2; exit 1; }
  say "docker build -t $image examples/articles"
  docker build -q -t "$image" examples/articles >"$work/docker-build.log" 2>&1 || { cat "$work/docker-build.log" >&2; exit 1; }
  timeout 60 docker service rm "$service" >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do docker ps -q --filter "label=com.docker.swarm.service.name=$service" | grep -q . || break; sleep 0.5; done
  say "docker service create $service (6 replicas, parallelism 2, start-first, monitor 2s, delay 0s, pause)"
  swarm_created=1
  # /data on a tmpfs: no anonymous volume per task (the image declares VOLUME /data).
  timeout 180 docker service create --detach=false --quiet --name "$service" --replicas 6 \
    --publish mode=host,target=8080 \
    --mount type=tmpfs,destination=/data \
    --restart-condition any --restart-delay 0s \
    --update-parallelism 2 --update-order start-first --update-monitor 2s --update-delay 0s \
    --update-failure-action pause \
    --health-cmd 'curl -fsS --max-time 5 http://127.0.0.1:8080/healthz' \
    --health-interval 1s --health-timeout 5s --health-retries 3 --health-start-period 30s \
    --env ARTICLES_VERSION=1 "$image" >"$work/service-create.log" 2>&1 || { cat "$work/service-create.log" >&2; exit 1; }
  n=0; end=$(( $(date +%s) + 90 ))
  while (( $(date +%s) < end )); do   # <= 90 s: 6 tasks running (healthy)
    n=$(swarm_front_ports "$service" | wc -l); [[ $n == 6 ]] && break; sleep 0.5
  done
  [[ $n == 6 ]] || { say "Swarm: only $n of 6 tasks running"; docker service ps "$service" >&2; exit 1; }

  nginx_front="$(free_port)"
  write_upstream || true
  swarm_front_start rollout "$nginx_prefix" "$nginx_front" "$work" || exit 1
  nginx_pid=$swarm_front_pid
  say "nginx (pid $nginx_pid) on 127.0.0.1:$nginx_front -> $(cat "$nginx_prefix/ports")"
  wait_http_200 "http://127.0.0.1:$nginx_front/api/articles" 60 || { say "nginx front does not answer"; cat "$nginx_prefix/logs/error.log" >&2; exit 1; }

  prepare_swarm_run() {  # 6 running tasks, a fresh upstream from them (between runs), answered by all
    local n=0 end=$(( $(date +%s) + 60 ))
    while (( $(date +%s) < end )); do   # <= 60 s
      n=$(swarm_front_ports "$service" | wc -l); [[ $n == 6 ]] && break; sleep 0.5
    done
    [[ $n == 6 ]] || say "warning: only $n of 6 Swarm tasks running before the run"
    write_upstream && nginx_reload || true
    sleep 1
    wait_http_200 "http://127.0.0.1:$nginx_front/api/articles" 30 || say "warning: nginx front not answering before the run"
    sleep 1
  }
  v=1
  label_static="Swarm, static nginx upstream (ports before the update)"
  for i in $(seq 1 "$runs"); do
    v=$(( v + 1 )); prepare_swarm_run
    measure "$label_static" "$i" "$v" "http://127.0.0.1:$nginx_front/api/articles" swarm_server_time -- \
      docker service update --env-add "ARTICLES_VERSION=$v" --detach=false "$service"
  done
  label_refresh="Swarm, nginx + 1 s upstream refresh"
  for i in $(seq 1 "$runs"); do
    v=$(( v + 1 )); prepare_swarm_run
    swarm_front_refresh_loop "$nginx_prefix" "$service" >>"$nginx_prefix/refresh.log" 2>&1 &
    refresh_pid=$!
    measure "$label_refresh" "$i" "$v" "http://127.0.0.1:$nginx_front/api/articles" swarm_server_time -- \
      docker service update --env-add "ARTICLES_VERSION=$v" --detach=false "$service"
    stop_pid "$refresh_pid"; refresh_pid=""
  done
  say "stopping nginx; docker service rm $service"
  stop_pid "$nginx_pid" QUIT; nginx_pid=""
  timeout 60 docker service rm "$service" >/dev/null 2>&1 || true
  swarm_created=0
fi

# ------------------------------------------------------------------ c) report
elapsed=$(( $(date +%s) - started_at ))
out="$results_dir/rollout-$(date -u +%F).md"
[[ -f "$out" ]] || printf '# Benchmark: rollout (rolling update of 6 replicas under load)\n\nSee bench/rollout/README.md for what is measured, how, and the fairness notes. Runs are appended below.\n' >"$out"
{
  bench_header "rollout" "$command_line"
  echo "Settings (both sides): 6 replicas, update parallelism 2, order start-first, monitor 2s, delay 0s, failure_action pause;"
  echo "health GET /healthz every 1s, timeout 5s, retries 3, start period 30s (Berth also start_interval 200ms; Docker 20.10 has none). Same Release build of the articles app."
  echo "Load: \`wrk -t1 -c$conns --latency -s bench/rollout/wrk.lua URL/api/articles\`, from ${pre_s}s before each update until ${post_s}s after it completed."
  echo "Front doors: Berth's built-in router; Swarm: nginx (2 workers, keepalive, proxy_next_upstream error timeout http_502) over host-mode ports."
  echo "Wall time = the update command's duration (\`berth deploy\` / \`docker service update --detach=false\`, CLI start-up included);"
  echo "server-side = Berth's rollout startedAt→updatedAt / Swarm's UpdateStatus StartedAt→CompletedAt. Failed = non-2xx + wrk socket errors."
  echo "Load average (1 min) at the start: see the raw runs; $(nproc) CPUs. Total time of this run: ${elapsed}s."
  echo
  "${tool[@]}" report "$tsv"
  [[ -n "$swarm_note" ]] && { echo; echo "$swarm_note"; }
  echo
} | tee -a "$out"
say "results appended to ${out#"$repo/"} (${elapsed}s)"

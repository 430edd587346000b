#!/usr/bin/env bash
# bench/swarm — Berth on Docker Swarm (`berth server --runtime swarm`) vs Docker Swarm's own tools,
# on the same engine, the same image and the same service definition:
#
#   a) First deploy, 4 replicas: `docker stack deploy -c bench/swarm/stack.yml benchswarm` vs
#      `berth deploy -c bench/swarm/compose.yml benchberth` (the package's NativeAOT client, made by
#      scripts/package.sh when missing; BENCH_REPACKAGE=1 remakes it). Wall time from just before the command
#      until all 4 replicas answer GET /healthz on their host-mode ports (measured the same way for
#      both, from the Engine API's task list: bench/swarm/tool.py wait-ready), and the command's own
#      duration (`docker stack deploy` returns before the tasks run; `berth deploy` waits for them).
#      Each run starts from nothing (stack removed, containers and network gone); Swarm and Berth
#      runs alternate.
#   b) Rolling update, 6 replicas, the same update_config (parallelism 2, start-first, monitor 2s,
#      delay 0s, failure_action pause), under wrk load: `docker service update --env-add
#      ARTICLES_VERSION=N --detach=false benchswarm_app` behind nginx over the tasks' host-mode ports
#      (the ingress mesh does not work here) with the upstream refreshed every 1 s (as bench/rollout's
#      "nginx + 1 s refresh"), vs `berth deploy` of version N through Berth's router. Wall time and
#      failed requests (non-2xx + socket errors), tables from bench/rollout/tool.py.
#   c) Both tables, with the machine and versions, appended to bench/results/swarm-YYYY-MM-DD.md.
#
# Usage: bench/swarm/run.sh          (or: bench/run.sh swarm). Needs root (dockerd, apt-get).
# Environment:
#   BENCH_SWARM_DEPLOY_RUNS=3   first deploys per side
#   BENCH_SWARM_UPDATE_RUNS=3   rolling updates per side
#   BENCH_WRK_CONNECTIONS=16    wrk -c
#   BENCH_REPACKAGE=1           remake the package (its AOT client) even if one exists
#   BENCH_RESULTS_DIR=DIR       where the markdown goes (default bench/results)
#   BENCH_COMMAND               the command line recorded in the results (set by bench/run.sh)
# Every wait is bounded; load only on 127.0.0.1; the EXIT trap stops everything it started (wrk,
# the refresh loop, nginx, the Berth server and its stack, the Swarm stack), not dockerd.
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

deploy_runs="${BENCH_SWARM_DEPLOY_RUNS:-3}"
update_runs="${BENCH_SWARM_UPDATE_RUNS:-3}"
conns="${BENCH_WRK_CONNECTIONS:-16}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/swarm/run.sh}"
work="$repo/bench/.work/swarm"
swarm_stack="benchswarm"; swarm_service="${swarm_stack}_app"
berth_stack="benchberth"; berth_service="${berth_stack}_app"
image="articles:bench"
tool=(python3 "$here/tool.py")
rollout_tool=(python3 "$repo/bench/rollout/tool.py")
berth=(dotnet "$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll")
deploy_tsv="$work/deploy.tsv"
update_tsv="$work/update.tsv"
pre_s=2; post_s=2

say() { echo "[swarm] $(date -u +%T) $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
started_at=$(date +%s)

for tool_cmd in python3 curl wrk nginx; do
  command -v "$tool_cmd" >/dev/null || { say "installing $tool_cmd (apt-get)"; apt-get update -qq && apt-get install -y -qq "$tool_cmd" >/dev/null; }
done

server_pid=""; port=""; data_dir=""; front=""
wrk_pid=""; refresh_pid=""; nginx_pid=""; nginx_prefix="$work/nginx"
swarm_deployed=0

wait_gone() {  # LABEL SECONDS: until no container and no network carries the label
  local end=$(( $(date +%s) + $2 ))
  while (( $(date +%s) < end )); do
    [[ -z "$(docker ps -aq --filter "label=$1")" && -z "$(docker network ls -q --filter "label=$1")" ]] && return 0
    sleep 0.5
  done
  say "warning: objects labelled $1 still there after $2 s"
  return 1
}

berth_rm() {
  [[ -n "$server_pid" ]] || return 0
  timeout 60 "${berth[@]}" rm --host "127.0.0.1:$port" "$berth_stack" >/dev/null 2>&1 || true
  wait_gone "berth.stack=$berth_stack" 60 || true
}

swarm_rm() {
  timeout 60 docker stack rm "$swarm_stack" >/dev/null 2>&1 || true
  wait_gone "com.docker.stack.namespace=$swarm_stack" 60 || true
  swarm_deployed=0
}

cleanup() {
  local rc=$?
  set +e
  stop_pid "$wrk_pid" INT; wrk_pid=""
  stop_pid "$refresh_pid"; refresh_pid=""
  if [[ -n "$nginx_pid" ]]; then say "stopping nginx (pid $nginx_pid)"; stop_pid "$nginx_pid" QUIT; fi
  if [[ -n "$server_pid" ]]; then
    say "berth rm $berth_stack; stopping the Berth server (pid $server_pid)"
    berth_rm
    stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  fi
  # Whatever Berth left (e.g. the server died): its Swarm services carry berth.stack.
  for id in $(docker service ls -q --filter "label=berth.stack=$berth_stack" 2>/dev/null); do docker service rm "$id" >/dev/null 2>&1; done
  if [[ $swarm_deployed == 1 ]]; then say "docker stack rm $swarm_stack"; swarm_rm; fi
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# ------------------------------------------------------------------ build and image
say "building Berth (dotnet build Berth.slnx -c Release)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
# The client users run from the package: NativeAOT (scripts/package.sh; made when missing, BENCH_REPACKAGE=1 to remake it).
ensure_package "$work"
client=("$package/berth")
say "publishing the articles app (Release, examples/articles/publish)"
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -v q -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }
scripts/start-docker.sh >"$work/start-docker.log" 2>&1 || { cat "$work/start-docker.log" >&2; exit 1; }
scripts/base-image.sh >"$work/base-image.log" 2>&1 || { cat "$work/base-image.log" >&2; exit 1; }
say "docker build -t $image examples/articles"
docker build -q -t "$image" examples/articles >"$work/docker-build.log" 2>&1 || { cat "$work/docker-build.log" >&2; exit 1; }

# Leftovers of an interrupted earlier run.
for id in $(docker service ls -q --filter "label=berth.stack=$berth_stack"); do docker service rm "$id" >/dev/null 2>&1 || true; done
swarm_rm

# ------------------------------------------------------------------ the Berth server (swarm runtime)
port="$(free_port)"; front="$(free_port)"
data_dir="$(mktemp -d -t berth-bench-swarm.XXXXXX)"
say "starting berth server --runtime swarm on 127.0.0.1:$port (front door 127.0.0.1:$front)"
nohup "${berth[@]}" server --runtime swarm --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" "$data_dir" || { say "the Berth server did not answer within 60 s:"; tail -n 30 "$work/server.log" >&2; exit 1; }
berth_deploy() {  # VERSION REPLICAS
  env BENCH_VERSION="$1" BENCH_REPLICAS="$2" BENCH_FRONT_PORT="$front" \
    timeout 240 "${client[@]}" deploy --host "127.0.0.1:$port" --timeout 180s -c bench/swarm/compose.yml "$berth_stack"
}
swarm_deploy() {  # VERSION REPLICAS
  env BENCH_VERSION="$1" BENCH_REPLICAS="$2" timeout 120 docker stack deploy -c bench/swarm/stack.yml "$swarm_stack"
}

# ------------------------------------------------------------------ a) first deploy, 4 replicas
printf '%s\n' "target	run	rc	ready_s	command_s	load1" >"$deploy_tsv"
label_swarm_deploy="Docker Swarm: docker stack deploy"
label_berth_deploy="Berth (--runtime swarm): berth deploy"
first_deploy() {  # LABEL RUN KIND NAME DEPLOY_FN
  local label="$1" run="$2" kind="$3" name="$4" fn="$5" l0 t0 t1 rc=0 ready ready_rc=0 tag
  tag="deploy-$kind-$run"
  l0="$(load1)"
  t0="$(now)"
  "${tool[@]}" wait-ready "$kind" "$name" 4 120 "$t0" >"$work/$tag.ready" 2>&1 &
  local waiter=$!
  "$fn" 1 4 >"$work/$tag.log" 2>&1 || rc=$?
  t1="$(now)"
  wait "$waiter" || ready_rc=$?
  ready="$(tail -n1 "$work/$tag.ready")"
  (( rc == 0 && ready_rc == 0 )) || { rc=$(( rc == 0 ? 1 : rc )); ready="-"; tail -n 20 "$work/$tag.log" >&2; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$run" "$rc" "$ready" "$(secs "$t0" "$t1")" "$l0" >>"$deploy_tsv"
  say "$label run $run: rc=$rc all 4 answer after ${ready}s (command $(secs "$t0" "$t1")s)"
}
for i in $(seq 1 "$deploy_runs"); do
  swarm_deployed=1
  first_deploy "$label_swarm_deploy" "$i" service "$swarm_service" swarm_deploy
  swarm_rm; sleep 1
  first_deploy "$label_berth_deploy" "$i" stack "$berth_stack" berth_deploy
  berth_rm; sleep 1
done

# ------------------------------------------------------------------ b) rolling update, 6 replicas, under load
printf '%s\n' "target	run	version	rc	wall_s	server_state	server_s	requests	non2xx	connect	read	write	timeout	p50_ms	p99_ms	load1_before	load1_after" >"$update_tsv"

# measure TARGET RUN VERSION URL SERVER_TIME_FN -- UPDATE_COMMAND... (as bench/rollout/run.sh)
measure() {
  local target="$1" run="$2" version="$3" url="$4" server_fn="$5"; shift 6
  local tag; tag="update-$(echo "$target-$run" | tr -c 'a-zA-Z0-9-\n' '_')"
  local l0; l0="$(load1)"
  wrk -t1 -c"$conns" -d600s --latency -s "$repo/bench/rollout/wrk.lua" "$url" >"$work/wrk-$tag.txt" 2>&1 &
  wrk_pid=$!
  sleep "$pre_s"
  say "$target run $run: update to v$version under load"
  local t0 t1 rc=0
  t0=$(now)
  "$@" >"$work/$tag.log" 2>&1 || rc=$?   # each command bounds itself (timeout / --timeout)
  t1=$(now)
  sleep "$post_s"
  stop_pid "$wrk_pid" INT; wrk_pid=""
  local wall server s_state s_secs req non2xx c r w to p50 p99
  wall="$(secs "$t0" "$t1")"
  server="$($server_fn 2>/dev/null || echo '? -')"
  read -r s_state s_secs <<<"$server"
  read -r req non2xx c r w to p50 p99 <<<"$("${rollout_tool[@]}" wrk-result "$work/wrk-$tag.txt")"
  printf '%s\t' "$target" "$run" "$version" "$rc" "$wall" "$s_state" "$s_secs" "$req" "$non2xx" "$c" "$r" "$w" "$to" "$p50" "$p99" "$l0" >>"$update_tsv"
  load1 >>"$update_tsv"
  say "$target run $run: rc=$rc wall=${wall}s server=$s_state ${s_secs}s requests=$req non2xx=$non2xx socket(c/r/w/t)=$c/$r/$w/$to $(grep -h '^STATUSES' "$work/wrk-$tag.txt" || true)"
  [[ $rc == 0 ]] || tail -n 20 "$work/$tag.log" >&2
}

# Berth: v1 with 6 replicas, then updates through its router.
say "berth deploy v1 (6 replicas)"
berth_deploy 1 6 >"$work/update-berth-v1.log" 2>&1 || { cat "$work/update-berth-v1.log" >&2; exit 1; }
wait_http_200 "http://127.0.0.1:$front/api/articles" 60 || { say "Berth's front door does not answer"; exit 1; }
sleep 2
berth_server_time() { "${rollout_tool[@]}" berth-rollout "http://127.0.0.1:$port/api/v1/services/$berth_service/rollout"; }
label_berth_update="Berth (--runtime swarm, its router)"
for i in $(seq 1 "$update_runs"); do
  v=$(( i + 1 ))
  measure "$label_berth_update" "$i" "$v" "http://127.0.0.1:$front/api/articles" berth_server_time -- berth_deploy "$v" 6
  sleep 1
done
say "berth rm $berth_stack; stopping the Berth server (both sides never run at once)"
berth_rm
stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"; server_pid=""

# Swarm: the stack with 6 replicas, nginx over the running tasks' ports (refreshed every 1 s).
say "docker stack deploy $swarm_stack (6 replicas)"
swarm_deployed=1
swarm_deploy 1 6 >"$work/update-swarm-v1.log" 2>&1 || { cat "$work/update-swarm-v1.log" >&2; exit 1; }
"${tool[@]}" wait-ready service "$swarm_service" 6 120 "$(now)" >/dev/null || { say "Swarm: 6 tasks did not answer in 120 s"; docker service ps "$swarm_service" >&2; exit 1; }

write_upstream() { swarm_front_write_upstream "$nginx_prefix" "$swarm_service"; }
nginx_reload() { swarm_front_reload "$nginx_prefix"; }
swarm_server_time() { "${rollout_tool[@]}" swarm-update "$swarm_service"; }

nginx_front="$(free_port)"
write_upstream || true
swarm_front_start swarm "$nginx_prefix" "$nginx_front" "$work" || exit 1
nginx_pid=$swarm_front_pid
say "nginx (pid $nginx_pid) on 127.0.0.1:$nginx_front -> $(cat "$nginx_prefix/ports")"
wait_http_200 "http://127.0.0.1:$nginx_front/api/articles" 60 || { say "nginx front does not answer"; exit 1; }
label_swarm_update="Swarm: docker service update (nginx + 1 s upstream refresh)"
for i in $(seq 1 "$update_runs"); do
  v=$(( i + 1 ))
  "${tool[@]}" wait-ready service "$swarm_service" 6 60 "$(now)" >/dev/null || say "warning: fewer than 6 tasks answer before run $i"
  if write_upstream; then nginx_reload || true; fi
  sleep 1
  swarm_front_refresh_loop "$nginx_prefix" "$swarm_service" >>"$nginx_prefix/refresh.log" 2>&1 &
  refresh_pid=$!
  measure "$label_swarm_update" "$i" "$v" "http://127.0.0.1:$nginx_front/api/articles" swarm_server_time -- \
    timeout 240 docker service update --env-add "ARTICLES_VERSION=$v" --detach=false "$swarm_service"
  stop_pid "$refresh_pid"; refresh_pid=""
done
say "stopping nginx; docker stack rm $swarm_stack"
stop_pid "$nginx_pid" QUIT; nginx_pid=""
swarm_rm

# ------------------------------------------------------------------ c) report
elapsed=$(( $(date +%s) - started_at ))
out="$results_dir/swarm-$(date -u +%F).md"
[[ -f "$out" ]] || printf '# Benchmark: swarm (Berth on Swarm vs Docker Swarm'"'"'s own tools)\n\nSee bench/swarm/README.md for what is measured, how, and the fairness notes. Runs are appended below.\n' >"$out"
{
  bench_header "swarm" "$command_line"
  echo "Same engine, same image (\`$image\`, the Release build of examples/articles), same service: bench/swarm/stack.yml (Docker) = bench/swarm/compose.yml (Berth)"
  echo "but for the front door and Berth's own probe (x-berth.health.http_path). Healthcheck curl /healthz every 1s, timeout 5s, retries 3, start period 30s; restart any, delay 0s."
  echo "Berth: the server is the Release build (\`berth server --runtime swarm\`); \`berth deploy\` is the package's NativeAOT client (${package#"$repo/"}), the one users run, as \`docker\` is Docker's."
  echo "$(nproc) CPUs; the 1-minute load average before each run is in the raw tables. Total time of this run: ${elapsed}s."
  echo
  echo "### a) First deploy, 4 replicas: until all 4 answer GET /healthz on their host ports"
  echo
  "${tool[@]}" deploy-report "$deploy_tsv"
  echo
  echo "### b) Rolling update, 6 replicas (parallelism 2, start-first, monitor 2s, delay 0s, failure_action pause), under \`wrk -t1 -c$conns\`"
  echo
  "${rollout_tool[@]}" report "$update_tsv"
  echo
} | tee -a "$out"
say "results appended to ${out#"$repo/"} (${elapsed}s)"

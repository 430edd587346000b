#!/usr/bin/env bash
# bench/dashboard — the web dashboard's cost, each figure against a peer in the same run.
#
#   a) First render of the overview with 100 services (Debian Chromium, headless, a fresh browser context each run:
#      no cache), from navigation until the 100 rows are drawn. Peer: the same overview saved as static HTML (scripts
#      removed, same stylesheet) served by nginx — the cost of the page itself, without the dashboard's API calls and
#      rendering.
#   b) Server CPU while 20 dashboards stream a service's live updates (/ui/live?service=, a pulse every second and
#      every event) during a canary under steady traffic, against the same server with the same traffic and no
#      dashboard (alternating windows: none, live, none, live). CPU from /proc/PID/stat (utime + stime).
#   Results: bench/results/dashboard-YYYY-MM-DD.md (command, date, machine, figures, ratios).
#
# Usage: bench/dashboard/run.sh
# Environment:
#   BENCH_RUNS=7               first renders per series (median)
#   BENCH_DASHBOARDS=20        live streams at once
#   BENCH_WINDOW_S=20          seconds of each CPU window
#   BENCH_RATE=100             requests/s through the canary's front door during both CPU windows
#   BENCH_RESULTS_DIR=DIR      where the markdown goes (default bench/results)
#   BENCH_COMMAND              the command line recorded in the results (set by bench/run.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

runs="${BENCH_RUNS:-7}"
dashboards="${BENCH_DASHBOARDS:-20}"
window="${BENCH_WINDOW_S:-20}"
rate="${BENCH_RATE:-100}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/dashboard/run.sh}"
work="$repo/bench/.work/dashboard"
berth=(dotnet "$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll")
bench=(dotnet "$repo/artifacts/bin/DashboardBench/release/DashboardBench.dll")
probe=(python3 "$repo/bench/strategies/probe.py")
say() { echo "[dashboard] $(date -u +%T) $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"

need=()
command -v python3 >/dev/null || need+=(python3)
command -v curl >/dev/null || need+=(curl)
command -v nginx >/dev/null || need+=(nginx)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
if ((${#need[@]})); then say "installing ${need[*]} (apt-get)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

server_pid=""; port=""; data_dir=""; nginx_pid=""; probe_pid=""
replica_pids_file="$work/replica-pids"; : >"$replica_pids_file"
cleanup() {
  local rc=$?
  set +e
  stop_pid "$probe_pid" INT
  [[ -n "$nginx_pid" ]] && stop_pid "$nginx_pid" QUIT
  if [[ -n "$server_pid" ]]; then
    remember_replica_pids_of "$port" "$replica_pids_file"
    for s in benchfleet benchlive; do timeout 60 "${berth[@]}" rm --host "127.0.0.1:$port" "$s" >/dev/null 2>&1; done
    stop_pid "$server_pid"; stop_berth_router "$data_dir"
    kill_leftover_replicas "$replica_pids_file"
  fi
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building Berth and bench/dashboard (Release)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build "$here/DashboardBench.csproj" -c Release -v q -nologo -clp:ErrorsOnly >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -v q -nologo >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }

port="$(free_port)"
data_dir="$(mktemp -d -t berth-bench-dashboard.XXXXXX)"
say "starting the Berth server on 127.0.0.1:$port"
nohup "${berth[@]}" server --data "$data_dir" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
wait_berth_server "$port" "$server_pid" "$data_dir" || { tail -n 30 "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port/"
token="$BERTH_TOKEN"

# --- a) first render with 100 services --------------------------------------------------------------------------
say "deploying 100 services (stack benchfleet)"
timeout 300 "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 240s -c "$here/fleet.yml" benchfleet >"$work/fleet.log" 2>&1 || { tail -n 20 "$work/fleet.log" >&2; exit 1; }
remember_replica_pids_of "$port" "$replica_pids_file"
say "first render of the overview, $runs runs"
berth_ms="$("${bench[@]}" render "$url" "$token" 100 "$runs")"
"${bench[@]}" snapshot "$url" "$token" 100 "$work/overview.html"
mkdir -p "$work/www/ui/assets" "$work/nginx/logs"
cp "$work/overview.html" "$work/www/index.html"
cp src/Berth.Server/Dashboard/wwwroot/app.css "$work/www/ui/assets/app.css"
nginx_port="$(free_port)"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$nginx_port; root $work/www; add_header Cache-Control no-cache; }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
wait_http_200 "http://127.0.0.1:$nginx_port/" 20 || { say "nginx does not answer"; exit 1; }
static_ms="$("${bench[@]}" static "http://127.0.0.1:$nginx_port/" 100 "$runs")"
say "first render: Berth ${berth_ms} ms, static page on nginx ${static_ms} ms"

# --- b) server CPU with 20 live dashboards during a canary ---------------------------------------------------------
front="$(free_port)"
say "canary: deploy v1 (2 replicas), front door 127.0.0.1:$front"
timeout 240 env BENCH_VERSION=1 BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --timeout 180s -c "$here/canary.yml" benchlive >"$work/live-v1.log" 2>&1 || { cat "$work/live-v1.log" >&2; exit 1; }
wait_http_200 "http://127.0.0.1:$front/api/articles" 60 || { say "front door does not answer"; exit 1; }
"${probe[@]}" load "http://127.0.0.1:$front/api/articles" "$rate" 500 $(( window * 2 + 90 )) "$work/load.samples" &
probe_pid=$!
sleep 2
timeout 120 env BENCH_VERSION=2 BENCH_FRONT_PORT="$front" "${berth[@]}" deploy --host "127.0.0.1:$port" --detach -c "$here/canary.yml" benchlive >"$work/live-v2.log" 2>&1 || { cat "$work/live-v2.log" >&2; exit 1; }
remember_replica_pids_of "$port" "$replica_pids_file"
for _ in $(seq 1 120); do
  state="$(berth_curl -s "http://127.0.0.1:$port/api/v1/services/benchlive_app/rollout" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["state"], (r.get("progress") or {}).get("weight"))' 2>/dev/null || true)"
  [[ "$state" == "paused 50" ]] && break
  sleep 1
done
[[ "$state" == "paused 50" ]] || { say "the canary did not reach its pause at 50 % (state: $state)"; exit 1; }
sleep 3

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
hz="$(getconf CLK_TCK)"
sleep 10 # the canary's first analyses and the JIT settle before measuring
# Alternating windows (none, live, none, live) so that drift in the background (analysis, GC) falls on both sides.
idle_ticks=0; live_ticks=0; messages=0
for round in 1 2; do
  say "round $round: no dashboard, ${window} s"
  c0="$(cpu_ticks)"; sleep "$window"; c1="$(cpu_ticks)"
  idle_ticks=$(( idle_ticks + c1 - c0 ))
  say "round $round: $dashboards live dashboards, ${window} s"
  "${bench[@]}" streams "$url" "$token" benchlive_app "$dashboards" $(( window + 4 )) >"$work/streams-$round.out" &
  streams_pid=$!
  sleep 2
  c2="$(cpu_ticks)"; sleep "$window"; c3="$(cpu_ticks)"
  wait "$streams_pid" || true
  live_ticks=$(( live_ticks + c3 - c2 ))
  messages=$(( messages + $(cat "$work/streams-$round.out") ))
  sleep 2
done
stop_pid "$probe_pid" INT; probe_pid=""

read -r idle_ms live_ms ratio per_dash render_ratio <<<"$(python3 - "$idle_ticks" "$live_ticks" "$hz" "$(( window * 2 ))" "$dashboards" "$berth_ms" "$static_ms" <<'PY2'
import sys
idle_t, live_t, hz, seconds, n, b, s = map(float, sys.argv[1:])
idle = idle_t * 1000 / hz / seconds
live = live_t * 1000 / hz / seconds
print(f"{idle:.1f} {live:.1f} {live / idle if idle else float('nan'):.2f} {(live - idle) / n:.2f} {b / s:.2f}")
PY2
)"
say "server CPU: idle ${idle_ms} ms/s, with $dashboards dashboards ${live_ms} ms/s (${ratio}×); messages received: $messages"

out="$results_dir/dashboard-$(date -u +%Y-%m-%d).md"
[[ -f "$out" ]] || printf '# bench/dashboard\n\nThe web dashboard: first render of the overview, and the server CPU of live dashboards. See bench/dashboard/run.sh.\n' >"$out"
{
  bench_header "bench/dashboard" "$command_line"
  cat <<MD
### a) First render of the overview, 100 services (median of $runs, fresh browser context each)

| page | first render (ms) | ratio to the peer |
|---|---|---|
| Berth dashboard (\`/\`, then \`/ui/session\`, \`/ui/overview\`, \`/ui/live\`; drawn by the page's script) | $berth_ms | **${render_ratio}×** |
| peer: the same overview as static HTML on nginx (same stylesheet, no script) | $static_ms | 1 |

### b) Server CPU during a canary at ${rate} req/s, $dashboards live dashboards vs none (two ${window} s windows each, alternating)

| server | CPU (ms per s) |
|---|---|
| no dashboard | $idle_ms |
| $dashboards dashboards streaming \`/ui/live?service=benchlive_app\` | $live_ms (**${ratio}×**; +$per_dash ms/s per dashboard) |

Live messages received by the $dashboards streams over both windows: $messages (a pulse per second each, plus events).
MD
} >>"$out"
say "results appended to $out"

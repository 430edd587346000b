#!/usr/bin/env bash
# bench/controlplane — what a restart of the control plane costs the traffic it routes, beside
# the usual zero-downtime reload of a peer:
#   nginx       hey → nginx proxy_pass over the two replicas; `nginx -s reload` (a changed config) at
#               2 points of the run
#   berth-kill  hey → Berth's front door (its router process) over the SAME two replicas; the Berth
#               server killed with SIGKILL at the first point, started again (same data, same port)
#   berth-term  the same, with SIGTERM (a clean stop, as an upgrade does), started again at once
#   berth-swap  `berth router restart`: a new router process takes the listening sockets over
# Each is run with no event too (baseline). Constant load: hey -c $CONNS -q $RATE_PER_CONN for
# $DURATION s (rate-limited, so a pause shows as latency, not as fewer requests). Reported: requests,
# failed (non-2xx + connection errors), p99 with and without the event, and extra p99 = the
# difference; ratios Berth/nginx in the same run. Results: bench/results/controlplane-YYYY-MM-DD.md.
#
# Usage: bench/controlplane/run.sh
# Environment: BENCH_DURATION=15  BENCH_CONNS=8  BENCH_RATE=50 (per connection, req/s)
#   BENCH_RESULTS_DIR=DIR  BENCH_COMMAND (set by bench/run.sh)
# Load goes to 127.0.0.1 only; every wait is bounded; everything started here stops on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

duration="${BENCH_DURATION:-15}"
conns="${BENCH_CONNS:-8}"
rate="${BENCH_RATE:-50}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/controlplane/run.sh}"
work="$repo/bench/.work/controlplane"
stack="benchcp"
say() { echo "controlplane: $*" >&2; }

for tool in hey nginx curl python3; do
  command -v "$tool" >/dev/null || { say "installing $tool"; apt-get install -y -q "$( [[ $tool == hey ]] && echo hey || echo "$tool")" >/dev/null; }
done
rm -rf "$work"; mkdir -p "$work"
./berth version >/dev/null 2>&1 || true   # builds the Release binaries when needed

server_pid=""; data_dir=""; nginx_pid=""; api_port=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    ./berth rm --host "127.0.0.1:$api_port" "$stack" >/dev/null 2>&1 || true
  fi
  stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  stop_pid "$nginx_pid"
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
}
trap cleanup EXIT

start_server() {
  nohup ./berth server --data "$data_dir" --listen "127.0.0.1:$api_port" >>"$work/server.log" 2>&1 </dev/null &
  server_pid=$!
  wait_berth_server "$api_port" "$server_pid" "$data_dir" || { say "the Berth server did not answer:"; tail -n 30 "$work/server.log" >&2; exit 1; }
}

api_port="$(free_port)"; front="$(free_port)"; nginx_port="$(free_port)"
data_dir="$(mktemp -d -t berth-bench-cp.XXXXXX)"
start_server
say "deploying the example (2 replicas) on 127.0.0.1:$front"
BENCH_PORT="$front" timeout 150 ./berth deploy --host "127.0.0.1:$api_port" --timeout 120s -c bench/controlplane/compose.yml "$stack" >"$work/deploy.log" 2>&1 \
  || { cat "$work/deploy.log" >&2; exit 1; }
mapfile -t upstreams < <(berth_curl -s "http://127.0.0.1:$api_port/api/v1/replicas?stack=$stack" \
  | python3 -c 'import json,sys; [print(r["endpoint"]) for r in json.load(sys.stdin) if r.get("endpoint") and r["state"]=="running"]')
(( ${#upstreams[@]} == 2 )) || { say "expected 2 replica addresses, got: ${upstreams[*]:-none}"; exit 1; }

nginx_conf() {  # ORDER(0|1): the two upstreams in one order or the other (a reload that changes something)
  local a="${upstreams[0]}" b="${upstreams[1]}"
  [[ "$1" == 1 ]] && { a="${upstreams[1]}"; b="${upstreams[0]}"; }
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream app { server $a; server $b; keepalive 32; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
}
nginx_conf 0
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
wait_http_200 "http://127.0.0.1:$nginx_port/healthz" 20 || { say "nginx did not answer"; exit 1; }
wait_http_200 "http://127.0.0.1:$front/healthz" 20 || { say "Berth's front door did not answer"; exit 1; }

run_load() {  # NAME PORT EVENT(none|reload|kill|term|swap)
  local name="$1" port="$2" event="$3" out="$work/$1.txt"
  timeout $(( duration + 30 )) hey -z "${duration}s" -c "$conns" -q "$rate" -t 10 "http://127.0.0.1:$port/api/articles" >"$out" 2>&1 &
  local hey_pid=$!
  sleep $(( duration / 3 ))
  case "$event" in
    reload) nginx_conf 1; nginx -c "$work/nginx.conf" -s reload; sleep $(( duration / 3 )); nginx_conf 0; nginx -c "$work/nginx.conf" -s reload ;;
    kill) kill -KILL "$server_pid"; wait "$server_pid" 2>/dev/null || true; start_server ;;
    term) stop_pid "$server_pid"; wait "$server_pid" 2>/dev/null || true; start_server ;;
    swap) ./berth router restart --host "127.0.0.1:$api_port" >>"$work/swap.log" 2>&1 || say "router restart failed (see $work/swap.log)" ;;
  esac
  wait "$hey_pid" || true
  python3 "$here/parse_hey.py" "$name" "$event" "$out" >>"$work/rows.jsonl"
}

for round in 1 2; do
  say "round $round"
  run_load "nginx-base-$round" "$nginx_port" none
  run_load "nginx-reload-$round" "$nginx_port" reload
  run_load "berth-base-$round" "$front" none
  run_load "berth-kill-$round" "$front" kill
  run_load "berth-term-$round" "$front" term
  run_load "berth-swap-$round" "$front" swap
done

mkdir -p "$results_dir"
out="$results_dir/controlplane-$(date -u +%Y-%m-%d).md"
{
  bench_header "Control-plane restart under load vs nginx -s reload" "$command_line"
  echo "Load: hey -z ${duration}s -c $conns -q $rate (≈ $(( conns * rate )) req/s) GET /api/articles; the event at ${duration}/3 s."
  echo
  python3 "$here/report.py" "$work/rows.jsonl"
} | tee -a "$out"
say "results appended to $out"

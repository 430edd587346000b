#!/usr/bin/env bash
# bench/router — L7 proxy throughput and latency on loopback: the same fixed-response upstream
# (2 nginx instances, `return 200 "ok\n"`), reached
#   direct   wrk → one upstream instance (the floor; no proxy)
#   nginx    wrk → nginx proxy_pass, upstream keepalive pool (64), round robin over both
#   haproxy  wrk → HAProxy mode http, http-reuse always, roundrobin over both
#   bare-yarp wrk → YARP alone (bench/router/bare-yarp: no Berth code, same Kestrel/HTTP-client and
#            runtime settings as a Berth front door); Berth's ratio to it is the cost of Berth's own code
#   berth    wrk → Berth's router (YARP front door in `berth server`), the two upstreams ARE the
#            stack's replicas (process runtime); nginx, HAProxy and bare-yarp point at the same two ports.
# Saturating: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (req/s, p50, p99).
# Half load:  hey at 50 % of nginx's median saturating req/s (rate-limited; p50, p99).
# Rounds are interleaved (the target order rotates each round); medians per target are reported.
# Variants (BENCH_VARIANTS, off by default): each restarts the Berth server — and so its router process, which
# inherits it — with one setting changed, and measures direct, nginx, bare-yarp (unchanged) and berth-vN again:
# one choice at a time against the defaults of phase 1. A variant is a space-separated list of
#   NAME=VALUE          an environment variable (e.g. DOTNET_gcServer=1)
#   rc:NAME=VALUE       a runtimeconfig property of the server (and router) program, e.g.
#                       rc:System.Threading.ThreadPool.UnfairSemaphoreSpinLimit=70 (restored after the variant)
#   cpus=LIST           the server and its router pinned to these CPUs (taskset -c LIST)
# and variants are separated by ';'. BENCH_PHASE2=1 still runs the one variant BENCH_PHASE2_ENV.
# Results: bench/results/router-YYYY-MM-DD.md (header via bench/lib/header.sh).
#
# Usage: bench/router/run.sh
# Environment:
#   BENCH_ROUNDS=3           interleaved rounds per phase
#   BENCH_DURATION=15        seconds per saturating wrk run
#   BENCH_HALF_DURATION=10   seconds per half-load hey run
#   BENCH_WARMUP=5           seconds per warm-up slice of wrk (JIT, connection pools): each target is loaded in slices
#   BENCH_WARMUP_SLICES=10   until two in a row are within 3 % of each other, at most this many
#   BENCH_WARMUP_MIN_SLICES=6  and at least this many (a .NET router still climbs after 10 s: two slow slices can agree)
#   BENCH_CONNS=64           wrk connections;  BENCH_THREADS=2  wrk threads
#   BENCH_HALF_CONNS=16      hey workers (each rate-limited to rate/BENCH_HALF_CONNS)
#   BENCH_VARIANTS="V1;V2"  the variants to measure after phase 1 (see above)
#   BENCH_PHASE2=0           1: add the variant BENCH_PHASE2_ENV (BENCH_GC_SERVER=1 still works as the old name)
#   BENCH_PROFILE=0          1: in phase 1's last round, `perf record` bare-yarp's and Berth's processes during their
#                            saturating run (both started with DOTNET_PerfMapEnabled=1 so JIT frames resolve); where each
#                            spends its samples (by module: the kernel, the runtime, the JIT, JIT-compiled code, each
#                            ReadyToRun assembly) goes into the results, the top symbols into bench/.work/router/profile-*
#   BENCH_RESULTS_DIR=DIR    where the markdown goes (default bench/results)
#   BENCH_COMMAND            the command line recorded in the results (set by bench/run.sh)
# Load goes to 127.0.0.1 only; every run is bounded by `timeout`; everything started here is
# stopped on exit (trap), also on failure; interrupted (e.g. by bench/run.sh's BENCH_TIMEOUT, 2400 s by default — each
# variant adds about 6 minutes), the phases measured so far are still written to the results.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

rounds="${BENCH_ROUNDS:-3}"
duration="${BENCH_DURATION:-15}"
half_duration="${BENCH_HALF_DURATION:-10}"
warmup="${BENCH_WARMUP:-5}"
warmup_slices="${BENCH_WARMUP_SLICES:-10}"
warmup_min_slices="${BENCH_WARMUP_MIN_SLICES:-6}"
conns="${BENCH_CONNS:-64}"
threads="${BENCH_THREADS:-2}"
half_conns="${BENCH_HALF_CONNS:-16}"
phase2="${BENCH_PHASE2:-${BENCH_GC_SERVER:-0}}"
phase2_env="${BENCH_PHASE2_ENV:-DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1}"
variants="${BENCH_VARIANTS:-}"
profile="${BENCH_PROFILE:-0}"
[[ "$phase2" == 1 ]] && variants="${variants:+$variants;}$phase2_env"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/router/run.sh}"
work="$repo/bench/.work/router"
stack="benchrouter"
cli_dll="$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll"
server_rc="$repo/artifacts/bin/Berth.Server/release/Berth.Server.runtimeconfig.json"
bare_dll="$repo/artifacts/bin/BareYarp/release/BareYarp.dll"
parse=(python3 "$here/parse.py")

say() { echo "[router] $*" >&2; }
rm -rf "$work"; mkdir -p "$work/raw" "$results_dir"
started_at=$(date +%s)

# ------------------------------------------------------------------ tools
missing=()
for tool in wrk:wrk nginx:nginx haproxy:haproxy hey:hey python3:python3 curl:curl; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if (( ${#missing[@]} )); then
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ------------------------------------------------------------------ state + cleanup
server_pid=""; api=""; data_dir=""; nginx_pid=""; haproxy_pid=""; bare_pid=""
report_written=0; tsv=""; gc_seen="- GC threads seen in the router process: not read"

berth() { BERTH_HOST="http://$api" timeout 150 dotnet "$cli_dll" "$@"; }

stop_peers() {
  stop_pid "$nginx_pid"; nginx_pid=""
  stop_pid "$haproxy_pid"; haproxy_pid=""
  stop_pid "$bare_pid"; bare_pid=""
}

stop_berth() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    say "berth rm $stack; stopping the Berth server (pid $server_pid)"
    berth rm "$stack" >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do   # <= 30 s for the replicas to stop
      [[ "$(berth ps "$stack" --json 2>/dev/null | grep -c '"id"' || true)" == 0 ]] && break
      sleep 0.5
    done
    stop_pid "$server_pid"; stop_berth_router "${data_dir:-}"
  fi
  server_pid=""
  stop_leftover_upstreams "$work"   # replicas the server left behind
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  data_dir=""
}

restore_runtimeconfig() {
  [[ -f "$work/runtimeconfig.saved" ]] && mv -f "$work/runtimeconfig.saved" "$server_rc"
  return 0
}

set_runtimeconfig() {  # NAME VALUE: in the server program's runtimeconfig (saved first, restored by restore_runtimeconfig)
  [[ -f "$work/runtimeconfig.saved" ]] || cp "$server_rc" "$work/runtimeconfig.saved"
  python3 - "$server_rc" "$1" "$2" <<'PY'
import json, sys
path, name, value = sys.argv[1:]
doc = json.load(open(path))
try:
    value = json.loads(value)
except ValueError:
    pass
doc["runtimeOptions"].setdefault("configProperties", {})[name] = value
json.dump(doc, open(path, "w"), indent=2)
PY
}

cleanup() {
  local rc=$?
  set +e
  restore_runtimeconfig
  if [[ "$report_written" == 0 && -s "${tsv:-}" ]]; then
    write_report "interrupted (exit $rc) before the end: the phases below are those measured until then"
  fi
  stop_peers
  stop_berth
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# ------------------------------------------------------------------ build
say "building Berth (dotnet build Berth.slnx -c Release -v q)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
[[ -f "$cli_dll" ]] || { say "no $cli_dll after the build"; exit 1; }
say "building the bare-yarp peer (dotnet build bench/router/bare-yarp -c Release -v q)"
dotnet build bench/router/bare-yarp -c Release -v q -nologo -clp:ErrorsOnly >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
[[ -f "$bare_dll" ]] || { say "no $bare_dll after the build"; exit 1; }
cp "$here/upstream.conf.tmpl" "$work/upstream.conf.tmpl"

front_port="$(free_port)"
# The peers' ports are chosen in start_peers, once the replicas have theirs (a port picked earlier could be given to a
# replica meanwhile, and the peer would then measure that replica).
nginx_port=""; haproxy_port=""; bare_port=""
upstreams=()
perf_map=()
if [[ "$profile" == 1 ]]; then
  command -v perf >/dev/null || { say "installing linux-perf (apt-get)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
  perf_map=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
fi

start_berth() {  # label [taskset CPU list]; extra environment (a variant's) exported by the caller
  api="127.0.0.1:$(free_port)"
  data_dir="$(mktemp -d -t berth-bench-router.XXXXXX)"
  say "starting the Berth server ($1${2:+, CPUs $2}) on $api, front door 127.0.0.1:$front_port"
  local pin=()
  [[ -n "${2:-}" ]] && pin=(taskset -c "$2")
  nohup "${pin[@]}" env "${perf_map[@]}" dotnet "$cli_dll" server --data "$data_dir" --listen "$api" >"$work/server-$1.log" 2>&1 </dev/null &
  server_pid=$!
  local ok=0
  for _ in $(seq 1 120); do   # <= 60 s
    curl -sf --max-time 1 "http://$api/healthz" >/dev/null 2>&1 && { ok=1; break; }
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  [[ $ok == 1 ]] || { say "the Berth server did not answer within 60 s:"; tail -n 30 "$work/server-$1.log" >&2; return 1; }
  say "berth deploy -c bench/router/compose.yml $stack"
  BENCH_ROUTER_PORT="$front_port" BENCH_ROUTER_WORK="$work" berth deploy --timeout 120s -c bench/router/compose.yml "$stack" \
    >"$work/deploy-$1.log" 2>&1 || { cat "$work/deploy-$1.log" >&2; return 1; }
  mapfile -t upstreams < <(berth ps "$stack" --json | python3 -c 'import json,sys
for r in json.load(sys.stdin):
    if r.get("state") == "running" and r.get("endpoint"): print(r["endpoint"])')
  (( ${#upstreams[@]} == 2 )) || { say "expected 2 running replicas, got: ${upstreams[*]}"; return 1; }
  say "upstreams (Berth replicas): ${upstreams[*]}"
  local i
  for i in $(seq 1 40); do curl -sf --max-time 1 "http://127.0.0.1:$front_port/" >/dev/null && break; sleep 0.25; done
  curl -sf --max-time 2 "http://127.0.0.1:$front_port/" >/dev/null || { say "Berth front door does not answer"; return 1; }
}

start_peers() {  # configs point at the current ${upstreams[@]}
  stop_peers
  nginx_port="$(free_port)"; haproxy_port="$(free_port)"; bare_port="$(free_port)"
  mkdir -p "$work/proxy-nginx" "$work/haproxy"
  cat >"$work/proxy-nginx/nginx.conf" <<CONF
# bench/router: nginx as the reverse proxy (generated by bench/router/run.sh)
worker_processes auto;   # one per CPU, like HAProxy's threads and Kestrel's thread pool
pid nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    upstream up {
        server ${upstreams[0]};
        server ${upstreams[1]};
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$nginx_port backlog=4096;
        keepalive_requests 1000000;
        location / {
            proxy_pass http://up;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
  nginx -p "$work/proxy-nginx" -e "$work/proxy-nginx/error.log" -c "$work/proxy-nginx/nginx.conf" -g 'daemon off;' \
    >"$work/proxy-nginx/stdout.log" 2>&1 </dev/null &
  nginx_pid=$!
  cat >"$work/haproxy/haproxy.cfg" <<CONF
# bench/router: HAProxy as the reverse proxy (generated by bench/router/run.sh)
global
    maxconn 4096
    # nbthread: default = the CPUs available (2 here)
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    http-reuse always
frontend fe
    bind 127.0.0.1:$haproxy_port
    default_backend be
backend be
    balance roundrobin
    server u1 ${upstreams[0]}
    server u2 ${upstreams[1]}
CONF
  haproxy -db -f "$work/haproxy/haproxy.cfg" >"$work/haproxy/stdout.log" 2>&1 </dev/null &
  haproxy_pid=$!
  nohup env "${perf_map[@]}" dotnet "$bare_dll" "$bare_port" "${upstreams[0]}" "${upstreams[1]}" >"$work/bare-yarp.log" 2>&1 </dev/null &
  bare_pid=$!
  local p
  for p in "$nginx_port" "$haproxy_port" "$bare_port"; do
    for _ in $(seq 1 40); do curl -sf --max-time 1 "http://127.0.0.1:$p/" >/dev/null && break; sleep 0.25; done
    curl -sf --max-time 2 "http://127.0.0.1:$p/" >/dev/null || { say "proxy on $p does not answer"; cat "$work"/proxy-nginx/*.log "$work"/haproxy/*.log "$work/bare-yarp.log" >&2; return 1; }
  done
  for p in "$nginx_pid" "$haproxy_pid" "$bare_pid"; do
    kill -0 "$p" 2>/dev/null || { say "a peer proxy (pid $p) exited"; cat "$work"/proxy-nginx/*.log "$work"/haproxy/*.log "$work/bare-yarp.log" >&2; return 1; }
  done
}

url_of() {
  case "$1" in
    direct) echo "http://${upstreams[0]}/" ;;
    nginx) echo "http://127.0.0.1:$nginx_port/" ;;
    haproxy) echo "http://127.0.0.1:$haproxy_port/" ;;
    bare-yarp) echo "http://127.0.0.1:$bare_port/" ;;
    berth*) echo "http://127.0.0.1:$front_port/" ;;
  esac
}

pids_of() {  # the proxy's processes (CPU accounting); direct: the upstream instance
  case "$1" in
    direct) echo "" ;;
    nginx) echo "$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')" ;;
    haproxy) echo "$haproxy_pid" ;;
    bare-yarp) echo "$bare_pid" ;;
    berth*) echo "$server_pid $(berth_router_pid "$data_dir")" ;;  # the router process does the proxying
  esac
}

tsv="$work/results.tsv"; : >"$tsv"
hz="$(getconf CLK_TCK)"

measure_sat() {  # phase round target
  local phase="$1" round="$2" target="$3" url out load pids t0 t1 line cpu=""
  url="$(url_of "$target")"; out="$work/raw/$phase-sat-$round-$target.txt"
  load="$(cut -d' ' -f1 /proc/loadavg)"; pids="$(pids_of "$target")"
  local profiler=""
  if [[ "$profile" == 1 && "$phase" == 1* && "$round" == "$rounds" && "$target" == @(bare-yarp|berth) ]]; then
    perf record -F 999 -g -o "$work/profile-$target.data" -p "$(tr -s ' ' ',' <<<"${pids% }")" -- sleep "$duration" \
      >"$work/profile-$target.log" 2>&1 &
    profiler=$!
  fi
  local server_t0; server_t0="$(proc_cpu_ticks "$server_pid")"
  # shellcheck disable=SC2086
  t0="$(proc_cpu_ticks $pids)"
  timeout $(( duration + 30 )) wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$url" >"$out" 2>&1 || true
  # shellcheck disable=SC2086
  t1="$(proc_cpu_ticks $pids)"
  [[ -n "$profiler" ]] && { wait "$profiler" || true; }
  [[ "$target" == berth* ]] && echo "$phase	$target	$(( $(proc_cpu_ticks "$server_pid") - server_t0 ))	$(( t1 - t0 ))" >>"$work/berth-server-share.tsv"
  line="$("${parse[@]}" wrk "$out" 2>/dev/null)" || { say "could not parse $out"; cat "$out" >&2; return 0; }
  local requests; requests="$(cut -f5 <<<"$line")"
  [[ -n "$pids" && "$requests" -gt 0 ]] && cpu="$(python3 -c "print(f'{($t1-$t0)/$hz*1e6/$requests:.1f}')")"
  printf '%s\tsat\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$round" "$target" "$line" "$load" "$cpu" >>"$tsv"
  say "$phase round $round sat  $target: $(cut -f1-3 <<<"$line" | tr '\t' ' ') (rps p50 p99 ms), load1 $load"
}

measure_half() {  # phase round target rate
  local phase="$1" round="$2" target="$3" rate="$4" url out load line q
  url="$(url_of "$target")"; out="$work/raw/$phase-half-$round-$target.txt"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  q=$(( (rate + half_conns - 1) / half_conns ))
  timeout $(( half_duration + 30 )) hey -z "${half_duration}s" -c "$half_conns" -q "$q" "$url" >"$out" 2>&1 || true
  line="$("${parse[@]}" hey "$out" 2>/dev/null)" || { say "could not parse $out"; tail -n 20 "$out" >&2; return 0; }
  printf '%s\thalf\t%s\t%s\t%s\t%s\t\n' "$phase" "$round" "$target" "$line" "$load" >>"$tsv"
  say "$phase round $round half $target: $(cut -f1-3 <<<"$line" | tr '\t' ' ') (rps p50 p99 ms), load1 $load"
}

# A .NET target keeps JIT-compiling (tier-up, dynamic PGO) for tens of seconds under saturation, on the cores the load
# shares (bench/results/router-2026-12-07.md): load it in slices until its rate stops moving, so the counted rounds
# measure its steady state, as they do nginx's and HAProxy's (no JIT: only this machine's noise moves them).
warm_up() {  # phase target
  local phase="$1" t="$2" k rps previous="" out
  for k in $(seq 1 "$warmup_slices"); do
    out="$work/raw/$phase-warmup-$t-$k.txt"
    timeout $(( warmup + 30 )) wrk -t"$threads" -c"$conns" -d"${warmup}s" "$(url_of "$t")" >"$out" 2>&1 || true
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    [[ -n "$rps" ]] || continue
    if (( k >= warmup_min_slices )) && [[ -n "$previous" ]] && python3 -c "import sys; a,b=float('$previous'),float('$rps'); sys.exit(0 if abs(b-a) <= 0.03*a else 1)"; then
      say "$phase: $t warmed up after $k slices ($previous → $rps req/s)"
      return 0
    fi
    previous="$rps"
  done
  say "$phase: $t still moving after $warmup_slices slices (last $rps req/s); measuring anyway"
}

run_phase() {  # phase targets...
  local phase="$1"; shift
  local targets=("$@") n=$# r i t
  say "$phase: warm-up per target, ${warmup}s slices until two in a row are within 3 % (at least $warmup_min_slices, at most $warmup_slices)"
  for t in "${targets[@]}"; do warm_up "$phase" "$t"; done
  for r in $(seq 1 "$rounds"); do
    for i in $(seq 0 $(( n - 1 ))); do measure_sat "$phase" "$r" "${targets[$(( (i + r - 1) % n ))]}"; done
  done
  local nginx_rps
  nginx_rps="$("${parse[@]}" median $(awk -F'\t' -v p="$phase" '$1==p && $2=="sat" && $4=="nginx" {print $5}' "$tsv"))"
  half_rate="$(python3 -c "print(int(float('$nginx_rps') / 2))")"
  say "$phase: half load = $half_rate req/s (50 % of nginx's median $nginx_rps)"
  echo "$phase	$half_rate" >>"$work/half-rates"
  for r in $(seq 1 "$rounds"); do
    for i in $(seq 0 $(( n - 1 ))); do measure_half "$phase" "$r" "${targets[$(( (i + r - 1) % n ))]}" "$half_rate"; done
  done
}

gc_threads() { grep -h -i 'gc' /proc/"$(berth_router_pid "$data_dir")"/task/*/comm 2>/dev/null | sort | uniq -c | tr -s ' ' | paste -sd ';' || true; }

# ------------------------------------------------------------------ phase 1: defaults
unset DOTNET_gcServer
start_berth default
start_peers
gc_seen="- GC threads seen in the router process (/proc/PID/task/*/comm): defaults: \`$(gc_threads || true)\`"
run_phase "1 default (workstation GC)" direct nginx haproxy bare-yarp berth

# ------------------------------------------------------------------ variants: one setting changed each
n=1
IFS=';' read -r -a variant_list <<<"$variants"
for variant in "${variant_list[@]}"; do
  [[ -n "${variant// }" ]] || continue
  n=$(( n + 1 ))
  stop_peers; stop_berth
  read -r -a settings <<<"$variant"
  exported=(); cpus=""
  for kv in "${settings[@]}"; do
    case "$kv" in
      rc:*=*) kv="${kv#rc:}"; set_runtimeconfig "${kv%%=*}" "${kv#*=}" ;;
      cpus=*) cpus="${kv#cpus=}" ;;
      *=*) export "${kv?}"; exported+=("${kv%%=*}") ;;
      *) say "variant '$variant': '$kv' is not NAME=VALUE, rc:NAME=VALUE or cpus=LIST"; exit 2 ;;
    esac
  done
  start_berth "v$n" "$cpus"
  for name in "${exported[@]}"; do unset "$name"; done
  start_peers
  gc_seen+="; v$n: \`$(gc_threads || true)\`"
  run_phase "$n Berth with $variant" direct nginx bare-yarp "berth-v$n"
  stop_berth
  restore_runtimeconfig
done

stop_peers; stop_berth

# ------------------------------------------------------------------ report
berth_server_share() {  # Berth's CPU per request counts its server and its router: the server's part, per phase
  [[ -s "$work/berth-server-share.tsv" ]] || return 0
  echo "Of Berth's CPU (server + router process) during its saturating runs, the server's share: $(python3 - "$work/berth-server-share.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    phase, target, server, total = line.rstrip("\n").split("\t")
    s, t = rows.get(phase, (0, 0))
    rows[phase] = (s + int(server), t + int(total))
print("; ".join(f"{p}: {100 * s / t:.1f} %" for p, (s, t) in rows.items() if t))
PY
)."
  echo
}

profile_summary() {  # BENCH_PROFILE=1: samples by module, bare-yarp against Berth (their last saturating run of phase 1)
  local t
  for t in bare-yarp berth; do
    [[ -s "$work/profile-$t.data" ]] || continue
    perf report -i "$work/profile-$t.data" --no-children --sort sym --stdio -g none --percent-limit 0.3 \
      >"$work/profile-$t-symbols.txt" 2>/dev/null || true
    echo "Samples of $t by module (\`perf record -F 999 -g\` over its last saturating run of phase 1; \`[JIT]\` is JIT-compiled code; top symbols in bench/.work/router/profile-$t-symbols.txt):"
    echo
    echo '```'
    perf report -i "$work/profile-$t.data" --no-children --sort dso --stdio -g none --percent-limit 0.5 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | sed -E 's#\[JIT\] tid [0-9]+#[JIT] (JIT-compiled code)#' | head -n 20
    echo '```'
    echo
  done
}

write_report() {  # [note]: appends the phases measured so far to bench/results/router-DATE.md
  report_written=1
  local elapsed=$(( $(date +%s) - started_at ))
  local out="$results_dir/router-$(date -u +%F).md"
  [[ -f "$out" ]] || printf '# Benchmark: router (L7 proxy on loopback: direct, nginx, HAProxy, Berth)\n\nSee bench/README.md (section router) for what is measured and how to read it. Runs are appended below.\n' >"$out"
  {
    bench_header "router" "$command_line"
    [[ -n "${1:-}" ]] && echo "- **$1**"
    echo "- tools: $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2); $(nginx -v 2>&1); $(haproxy -v 2>&1 | head -n1 | cut -d' ' -f1-3); hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null)"
    echo "- Berth: Release build (artifacts/bin/Berth.Cli/release, handing over to artifacts/bin/Berth.Server/release), server runtimeconfig $(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["runtimeOptions"]["configProperties"]; print(", ".join(f"{k[7:]}={v}" for k,v in p.items() if k.startswith(("System.GC","System.Threading","System.Runtime.Tiered"))))' "$server_rc"); the router process started with DOTNET_TieredCompilation=1 and DOTNET_TieredPGO=1 (src/Berth/Routing/RouterProcessEnvironment.cs: tiered compilation and dynamic PGO on for the router, off for the server); router defaults (power_of_two_choices, X-Berth-Served-By header on, X-Forwarded-* on)."
    echo "$gc_seen"
    echo "- Saturating: \`wrk -t$threads -c$conns -d${duration}s --latency\`, warm-up in ${warmup}s slices per target until two in a row are within 3 % (at least $warmup_min_slices, at most $warmup_slices; the slices each took are in the log); half load: \`hey -z ${half_duration}s -c $half_conns -q RATE/$half_conns\` at RATE = 50 % of nginx's median saturating req/s ($(tr '\t' '=' <"$work/half-rates" 2>/dev/null | paste -sd ';' | sed 's/;/; /g')). $rounds interleaved rounds per phase; medians shown. load1 = 1-min load average at the start of each run. Total time: ${elapsed}s."
    echo "- Upstreams: 2 nginx instances (Berth replicas, worker_processes 1 each, \`return 200 \"ok\\n\"\`); direct = one of them. nginx proxy: worker_processes auto (2), keepalive 64; HAProxy: default nbthread (2), http-reuse always; bare-yarp: bench/router/bare-yarp (YARP $(sed -n 's/.*Yarp.ReverseProxy" Version="\([^"]*\)".*/\1/p' Directory.Packages.props), no Berth code, same settings as a Berth front door). All on the same 2 CPUs as wrk/hey."
    echo
    "${parse[@]}" report "$tsv"
    echo
    berth_server_share
    profile_summary
  } | tee -a "$out"
  say "results appended to ${out#"$repo/"} (${elapsed}s)"
}

write_report

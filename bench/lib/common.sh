#!/usr/bin/env bash
# Sourced by the bench/*/run.sh scripts and bench/router/ab.sh: small helpers they all had a copy of.
# Messages go through the caller's `say` (each run.sh defines it with its own prefix).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }

proc_cpu_ticks() {  # PID...: utime+stime (clock ticks) summed over those pids that still run
  local total=0 pid
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat") ))
  done
  echo "$total"
}

# bench/router's replicas are nginx masters whose pid files are WORK_DIR/up-*/nginx.pid: each one that still runs an
# nginx with WORK_DIR on its command line (not a reused pid) is stopped. Messages through the caller's `say`.
stop_leftover_upstreams() {  # WORK_DIR
  local f pid
  for f in "$1"/up-*/nginx.pid; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "nginx.*$1"; then
      say "killing leftover upstream nginx pid $pid"; kill -TERM "$pid" 2>/dev/null || true
    fi
  done
}

stop_pid() {  # pid [signal]: signal, wait <= 10 s, then KILL
  local pid="$1" sig="${2:-TERM}"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}

wait_http_200() {  # url seconds
  local end=$(( $(date +%s) + $2 ))
  while (( $(date +%s) < end )); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" == 200 ]] && return 0
    sleep 0.25
  done
  return 1
}

# The API needs a token: after the server answers, BERTH_TOKEN holds its local admin token (DATA_DIR/local-admin.token),
# which berth_curl and the Python tools send; the berth CLI finds it by itself on loopback.
berth_curl() { curl -H "Authorization: Bearer ${BERTH_TOKEN:-}" "$@"; }

wait_berth_server() {  # PORT PID [DATA_DIR]: <= 60 s until GET /healthz answers, then export BERTH_TOKEN; 1 when not (or the server exited)
  for _ in $(seq 1 120); do
    if curl -sf --max-time 1 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; then
      [[ -n "${3:-}" && -f "$3/local-admin.token" ]] && export BERTH_TOKEN="$(cat "$3/local-admin.token")"
      return 0
    fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

berth_replica_count() {  # PORT STACK -> number of replicas Berth reports for the stack
  berth_curl -s --max-time 2 "http://127.0.0.1:$1/api/v1/replicas?stack=$2" 2>/dev/null | grep -o '"id"' | wc -l || true
}

wait_no_replicas() {  # PORT STACK: <= 30 s until Berth reports no replica of the stack
  for _ in $(seq 1 60); do
    [[ "$(berth_replica_count "$1" "$2")" == 0 ]] && return 0
    sleep 0.5
  done
  return 0
}

# Leftover replicas: Berth's process runtime starts the articles app as child processes; when the
# server dies they may survive it. The run.sh notes every pid Berth reports, and cleanup kills only
# those pids, and only while they still run our Articles.dll.
remember_replica_pids_of() {  # PORT PIDS_FILE [STACK]: append every replica pid Berth reports (all stacks without STACK)
  [[ -n "$1" ]] || return 0
  local query="all=true"
  [[ -n "${3:-}" ]] && query="stack=$3&all=true"
  berth_curl -s --max-time 2 "http://127.0.0.1:$1/api/v1/replicas?$query" 2>/dev/null \
    | python3 -c 'import json,sys
try:
    [print(r["pid"]) for r in json.load(sys.stdin) if isinstance(r, dict) and r.get("pid")]
except Exception:
    pass' >>"$2" || true
}

kill_leftover_replicas() {  # PIDS_FILE [MESSAGE_PREFIX]: KILL each noted pid that still runs Articles.dll
  local pid
  for pid in $(sort -u "$1" 2>/dev/null); do
    [[ -r "/proc/$pid/cmdline" ]] || continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q "examples/articles/publish/Articles.dll"; then
      say "${2:-}killing leftover replica pid $pid"; kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

stop_berth_router() {  # DATA_DIR: stops the router the server started (it outlives the server on purpose), if any
  local file="${1:-}/routers/local/router.pid"
  [[ -n "${1:-}" && -f "$file" ]] || return 0
  stop_pid "$(cut -d' ' -f1 "$file")"
}

berth_router_pid() {  # DATA_DIR -> the pid of the router the server started, or nothing
  local file="${1:-}/routers/local/router.pid"
  [[ -n "${1:-}" && -f "$file" ]] && cut -d' ' -f1 "$file"
  return 0
}

# ensure_package WORK_DIR: sets `package` to this machine's package folder (artifacts/package/berth-VERSION-RID, with the
# NativeAOT client `berth`), made by scripts/package.sh when missing or when BENCH_REPACKAGE=1 (log in WORK_DIR).
ensure_package() {
  local version rid
  version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)"
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="linux-$(uname -m)" ;; esac
  package="$repo/artifacts/package/berth-$version-$rid"
  if [[ "${BENCH_REPACKAGE:-0}" == 1 || ! -x "$package/berth" ]]; then
    say "making the package (scripts/package.sh: AOT compile, a few minutes)"
    ./scripts/package.sh >"$1/package.log" 2>&1 || { cat "$1/package.log" >&2; exit 1; }
  fi
}

#!/usr/bin/env bash
# bench/router/ab.sh — CPU per request of two Berth routers that differ by their environment (A and B), against bare
# YARP in the same run: many short saturating rounds, the three targets in a rotating order within each round, and
# the ratios taken within each round. This machine's speed drifts by 15–20 % over tens of seconds (2026-12-08): the
# medians of a few long runs (bench/router/run.sh) cannot separate a 5 % change, ratios of neighbours in time can.
#   A, B       two `berth server`s (Release build), each with its router process (which inherits the server's
#              environment) and its own stack of bench/router/compose.yml (two nginx replicas, `return 200`)
#   bare-yarp  bench/router/bare-yarp over A's two replicas
# Each round: wrk -t2 -c64 -d${BENCH_DURATION}s on each target; CPU = utime+stime of the proxy's process (the router
# process for A and B) over the run, divided by its requests. The first round is dropped (warm-up tail).
# Results: a section appended to bench/results/router-YYYY-MM-DD.md (median CPU per request, medians of the per-round
# ratios A/bare, B/bare and B/A, with B/A's mean, standard deviation and the rounds counted; raw rounds collapsed).
#
# Usage: BENCH_AB_B="NAME=VALUE ..." [BENCH_AB_A="NAME=VALUE ..."] bench/router/ab.sh
#   e.g. BENCH_AB_A="DOTNET_ReadyToRunExcludeList=none" bench/router/ab.sh   (YARP's ReadyToRun code kept in A)
# Environment:
#   BENCH_AB_A, BENCH_AB_B   environment variables of each server and its router (default: none = as shipped)
#   BENCH_AB_LABEL           what B changes, for the results (default: the two environments)
#   BENCH_ROUNDS=30          rounds;  BENCH_DURATION=4  seconds per wrk run;  BENCH_WARMUP=25  seconds of wrk per target first
#   BENCH_RESULTS_DIR=DIR    where the markdown goes (default bench/results)
# Load goes to 127.0.0.1 only; every wrk run is bounded by `timeout`; everything started here is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

rounds="${BENCH_ROUNDS:-30}"
duration="${BENCH_DURATION:-4}"
warmup="${BENCH_WARMUP:-25}"
env_a="${BENCH_AB_A:-}"
env_b="${BENCH_AB_B:-}"
label="${BENCH_AB_LABEL:-A: ${env_a:-as shipped}; B: ${env_b:-as shipped}}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
work="$repo/bench/.work/router-ab"
cli_dll="$repo/artifacts/bin/Berth.Cli/release/Berth.Cli.dll"
bare_dll="$repo/artifacts/bin/BareYarp/release/BareYarp.dll"
say() { echo "[router-ab] $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
cp "$here/upstream.conf.tmpl" "$work/upstream.conf.tmpl"
started_at=$(date +%s)

for tool in wrk nginx python3 curl; do
  command -v "$tool" >/dev/null || { say "installing $tool (apt-get)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done

declare -A api=() front=() data=() server=() router=()
bare_pid=""
berth_of() { BERTH_HOST="http://${api[$1]}" timeout 150 dotnet "$cli_dll" "${@:2}"; }
cleanup() {
  local rc=$? side
  set +e
  for side in "${!server[@]}"; do
    berth_of "$side" rm "bench$side" >/dev/null 2>&1
  done
  sleep 2
  for side in "${!server[@]}"; do
    stop_pid "${server[$side]}"; stop_berth_router "${data[$side]}"; rm -rf "${data[$side]}"
  done
  stop_pid "$bare_pid"
  stop_leftover_upstreams "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building Berth and the bare-yarp peer (Release)"
dotnet build Berth.slnx -c Release -v q -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build bench/router/bare-yarp -c Release -v q -nologo -clp:ErrorsOnly >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

for side in A B; do
  environment="env_${side,,}"
  api[$side]="127.0.0.1:$(free_port)"; front[$side]="$(free_port)"; data[$side]="$(mktemp -d -t berth-bench-ab.XXXXXX)"
  say "server $side (${!environment:-as shipped}) on ${api[$side]}, front door 127.0.0.1:${front[$side]}"
  # shellcheck disable=SC2086
  nohup env ${!environment} dotnet "$cli_dll" server --data "${data[$side]}" --listen "${api[$side]}" >"$work/server-$side.log" 2>&1 </dev/null &
  server[$side]=$!
  wait_berth_server "${api[$side]##*:}" "${server[$side]}" "${data[$side]}" || { say "server $side did not start"; tail -n 30 "$work/server-$side.log" >&2; exit 1; }
  unset BERTH_TOKEN   # each CLI call finds its own server's token (the two servers' tokens differ)
  BENCH_ROUTER_PORT="${front[$side]}" BENCH_ROUTER_WORK="$work" berth_of "$side" deploy --timeout 120s -c bench/router/compose.yml "bench$side" \
    >"$work/deploy-$side.log" 2>&1 || { cat "$work/deploy-$side.log" >&2; exit 1; }
  router[$side]="$(berth_router_pid "${data[$side]}")"
  [[ -n "${router[$side]}" ]] || { say "no router process for server $side"; exit 1; }
done

mapfile -t upstreams < <(berth_of A ps benchA --json | python3 -c 'import json,sys
for r in json.load(sys.stdin):
    if r.get("state") == "running" and r.get("endpoint"): print(r["endpoint"])')
(( ${#upstreams[@]} == 2 )) || { say "expected 2 running replicas of A, got: ${upstreams[*]}"; exit 1; }
bare_port="$(free_port)"
nohup dotnet "$bare_dll" "$bare_port" "${upstreams[@]}" >"$work/bare-yarp.log" 2>&1 </dev/null &
bare_pid=$!
for port in "$bare_port" "${front[A]}" "${front[B]}"; do
  wait_http_200 "http://127.0.0.1:$port/" 30 || { say "nothing answers on $port"; exit 1; }
done

targets=("bare-yarp $bare_pid $bare_port" "A ${router[A]} ${front[A]}" "B ${router[B]} ${front[B]}")
hz="$(getconf CLK_TCK)"
load() {  # name pid port -> "name requests/s cpu-us-per-request"
  local t0 t1 out requests
  t0="$(proc_cpu_ticks "$2")"
  out="$(timeout $(( duration + 20 )) wrk -t2 -c64 -d"${duration}s" "http://127.0.0.1:$3/" 2>&1 || true)"
  t1="$(proc_cpu_ticks "$2")"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  [[ -n "$requests" && "$requests" -gt 0 ]] || { say "no requests counted for $1: $out"; exit 1; }
  python3 -c "print(f'$1\t{$requests/$duration:.0f}\t{($t1-$t0)/$hz*1e6/$requests:.2f}')"
}

say "warm-up: ${warmup}s of wrk per target"
for target in "${targets[@]}"; do
  read -r _ _ port <<<"$target"
  timeout $(( warmup + 20 )) wrk -t2 -c64 -d"${warmup}s" "http://127.0.0.1:$port/" >/dev/null 2>&1 || true
done
say "$rounds rounds of ${duration}s per target"
: >"$work/rounds.tsv"
for round in $(seq 1 "$rounds"); do
  for i in 0 1 2; do
    # shellcheck disable=SC2086
    printf '%s\t%s\n' "$round" "$(load ${targets[$(( (i + round) % 3 ))]})" >>"$work/rounds.tsv"
  done
done

out="$results_dir/router-$(date -u +%Y-%m-%d).md"
[[ -f "$out" ]] || printf '# Benchmark: router (L7 proxy on loopback: direct, nginx, HAProxy, Berth)\n\nSee bench/README.md (section router) for what is measured and how to read it. Runs are appended below.\n' >"$out"
{
  bench_header "router A/B: $label" "${BENCH_COMMAND:-bench/router/ab.sh} (BENCH_AB_A='$env_a' BENCH_AB_B='$env_b' BENCH_ROUNDS=$rounds BENCH_DURATION=$duration)"
  python3 - "$work/rounds.tsv" "$label" "$(( $(date +%s) - started_at ))" <<'PY'
import statistics as st, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
by_round = {}
for round_, target, rps, cpu in rows:
    by_round.setdefault(int(round_), {})[target] = (float(rps), float(cpu))
counted = [r for r in sorted(by_round) if r > 1 and len(by_round[r]) == 3]
cpu = {t: st.median(by_round[r][t][1] for r in counted) for t in ("bare-yarp", "A", "B")}
rps = {t: st.median(by_round[r][t][0] for r in counted) for t in ("bare-yarp", "A", "B")}
ratio = lambda a, b: [by_round[r][a][1] / by_round[r][b][1] for r in counted]
b_over_a = ratio("B", "A")
print(f"Two Berth routers (bench/router/compose.yml, process runtime, 2 nginx replicas each) and bare YARP over A's replicas;")
print(f"wrk -t2 -c64 per run; {len(counted)} rounds counted (the first dropped); total time {sys.argv[3]} s. {sys.argv[2]}.\n")
print("| target | req/s (median) | CPU µs per request (median) | per-round ratio to bare YARP (median) |")
print("|---|---|---|---|")
for t in ("bare-yarp", "A", "B"):
    r = "1.00×" if t == "bare-yarp" else f"{st.median(ratio(t, 'bare-yarp')):.3f}×"
    print(f"| {t} | {rps[t]:,.0f} | {cpu[t]:.1f} | {r} |")
sd = st.stdev(b_over_a) if len(b_over_a) > 1 else 0.0
print(f"\n**B / A, CPU per request, per round: median {st.median(b_over_a):.3f}, mean {st.mean(b_over_a):.3f} ± {sd / len(b_over_a) ** 0.5:.3f} "
      f"(standard error; sd {sd:.3f}, {len(b_over_a)} rounds).**\n")
print("<details><summary>raw rounds</summary>\n\n| round | target | req/s | CPU µs per request |\n|---|---|---|---|")
for round_, target, rps_, cpu_ in rows:
    print(f"| {round_} | {target} | {float(rps_):,.0f} | {cpu_} |")
print("\n</details>")
PY
} >>"$out"
say "results appended to $out"

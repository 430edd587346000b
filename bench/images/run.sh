#!/usr/bin/env bash
# bench/images — building and pushing with berth next to the docker CLI, same run, same engine, same registry kind.
#
#   push   `berth build --push` of a one-line image (FROM the example image: the build is a cache hit, the push sends
#          the example's ~200 MB of layers) vs `docker build` + `docker push` of the same Dockerfile. Each push goes to
#          a registry started fresh for it (Debian's docker-registry on loopback), so no layer is already there and
#          none can be mounted from another repository. Pairs interleaved (A B A B ...), ratio taken pair by pair.
#   build  the example app, warm: `berth build` (its x-berth.artifact runs dotnet publish, then the image is built) vs
#          the same two steps by hand (`dotnet publish` + `docker build`).
#   Results: bench/results/images-YYYY-MM-DD.md (command, date, machine, figures, ratios).
#
# Usage: bench/images/run.sh        Environment: BENCH_RUNS=5 (pairs), BENCH_RESULTS_DIR, BENCH_COMMAND.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=../lib/header.sh
source "$repo/bench/lib/header.sh"
# shellcheck source=../lib/common.sh
source "$repo/bench/lib/common.sh"

runs="${BENCH_RUNS:-5}"
results_dir="${BENCH_RESULTS_DIR:-$repo/bench/results}"
command_line="${BENCH_COMMAND:-bench/images/run.sh}"
work="$repo/bench/.work/images"
say() { echo "[images] $*" >&2; }
rm -rf "$work"; mkdir -p "$work" "$results_dir"
[[ -x /usr/bin/docker-registry ]] || { say "installing docker-registry (apt-get)"; apt-get update -qq && apt-get install -y -qq docker-registry >/dev/null; }

registry_pid=""
cleanup() { set +e; [[ -n "$registry_pid" ]] && stop_pid "$registry_pid"; docker image ls --format '{{.Repository}}:{{.Tag}}' | grep '^127.0.0.1:.*/bench/' | xargs -r docker image rm -f >/dev/null 2>&1; }
trap cleanup EXIT

./scripts/start-docker.sh >"$work/docker.log" 2>&1 || { cat "$work/docker.log" >&2; say "no Docker engine"; exit 1; }
say "the Release build ./berth runs, and the example image"
./berth --help >/dev/null
ARTICLES_VERSION=bench ./berth build -c examples/articles/docker-compose.yml --no-git-tag app >"$work/example.log" 2>&1 || { cat "$work/example.log" >&2; exit 1; }

start_registry() {  # -> sets registry (HOST:PORT) and registry_pid, a fresh empty registry
  [[ -n "$registry_pid" ]] && stop_pid "$registry_pid"
  local port dir; port="$(free_port)"; dir="$work/registry-$port"; mkdir -p "$dir"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$dir/data" "$port" >"$dir/config.yml"
  /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  registry_pid=$!; registry="127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "http://$registry/v2/" >/dev/null && return 0; sleep 0.1; done
  say "the registry did not start"; cat "$dir/log" >&2; exit 1
}

project="$work/project"; mkdir -p "$project"
printf 'FROM articles:bench\nLABEL bench=push\n' >"$project/Dockerfile"
elapsed() { local t0 t1; t0=$(now); "$@" >>"$work/commands.log" 2>&1; t1=$(now); python3 -c "print(f'{$t1-$t0:.3f}')"; }

say "push: $runs pairs (docker build + docker push | berth build --push), a fresh registry for each push"
push_rows=()
for i in $(seq 1 "$runs"); do
  start_registry
  a=$(elapsed bash -c "docker build -q -t '$registry/bench/push:$i' '$project' && docker push '$registry/bench/push:$i'")
  start_registry
  printf 'services:\n  app:\n    image: "%s/bench/push:%s"\n    build: .\n' "$registry" "$i" >"$project/compose.yml"
  b=$(elapsed ./berth build -c "$project/compose.yml" --no-git-tag --push)
  push_rows+=("$a $b"); say "pair $i: docker $a s, berth $b s"
done

say "build of the example, warm: $runs pairs (dotnet publish + docker build | berth build)"
build_rows=()
for i in $(seq 1 "$runs"); do
  a=$(elapsed bash -c "cd examples/articles && dotnet publish src/Articles -c Release -o publish -nologo -v q && docker build -q -t articles:bench-hand ." )
  b=$(elapsed env ARTICLES_VERSION=bench ./berth build -c examples/articles/docker-compose.yml --no-git-tag app)
  build_rows+=("$a $b"); say "pair $i: by hand $a s, berth $b s"
done
docker image rm -f articles:bench-hand >/dev/null 2>&1 || true

out="$results_dir/images-$(date -u +%F).md"
{
  bench_header "images: push and build vs the docker CLI" "$command_line"
  python3 - "${push_rows[*]}" "${build_rows[*]}" <<'PY'
import statistics, sys
def table(title, peer, rows):
    pairs = [tuple(map(float, rows.split()[i:i+2])) for i in range(0, len(rows.split()), 2)]
    ratios = [b / a for a, b in pairs]
    print(f"### {title}\n")
    print(f"| pair | {peer} (s) | berth (s) | berth / {peer} |\n|---|---|---|---|")
    for n, ((a, b), r) in enumerate(zip(pairs, ratios), 1):
        print(f"| {n} | {a:.2f} | {b:.2f} | {r:.2f} |")
    print(f"| **median** | {statistics.median(a for a, _ in pairs):.2f} | {statistics.median(b for _, b in pairs):.2f} | **{statistics.median(ratios):.2f}** |\n")
table("push of the example's layers to an empty registry (build is a cache hit on both sides)", "docker build + docker push", sys.argv[1])
table("build of the example, warm (artifact = dotnet publish, then the image)", "dotnet publish + docker build", sys.argv[2])
PY
} >>"$out"
say "results: ${out#"$repo/"}"
tail -n 25 "$out" >&2

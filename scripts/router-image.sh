#!/usr/bin/env bash
# Builds the router image of the Swarm runtime's global routers (`berth server --runtime swarm --routers global`):
# publishes the server (src/Berth.Server, Release) into a build context with packaging/router-image/Dockerfile and
# builds it on the engine of DOCKER_HOST (default the local one). The base image dotnet-base:10 is made when missing
# (scripts/base-image.sh). Every node must have the image: push it (--push, to a registry the nodes pull from) or
# load it on each node (docker save IMAGE | docker -H NODE load).
#
# Usage: scripts/router-image.sh [--tag NAME:TAG] [--push]     (default tag berth-router:10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="berth-router:10"
push=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag) tag="$2"; shift ;;
    --push) push=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "router-image: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "router-image: $*" >&2; }
command -v docker >/dev/null || { say "ERROR: no docker CLI (apt-get install -y docker.io; scripts/start-docker.sh)"; exit 1; }
"$root/scripts/base-image.sh"

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
say "publishing src/Berth.Server (Release)"
dotnet publish "$root/src/Berth.Server" -c Release -o "$context/server" -v q -nologo >"$context/publish.log" 2>&1 \
  || { cat "$context/publish.log" >&2; say "ERROR: dotnet publish failed"; exit 1; }
cp "$root/packaging/router-image/Dockerfile" "$context/Dockerfile"
say "building $tag"
docker build -q -t "$tag" "$context" >/dev/null
if (( push )); then
  say "pushing $tag"
  docker push "$tag"
fi
say "done: $tag"

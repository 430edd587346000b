#!/usr/bin/env bash
# Builds the articles example image: `dotnet publish` into examples/articles/publish (the Dockerfile only copies
# that folder: no SDK image is available offline), then `./berth build` with the example's compose file, which tags
# it as the app service's image: (articles:${ARTICLES_VERSION:-1}).
#
# Needs a Docker engine (scripts/start-docker.sh) and the base image dotnet-base:10 (scripts/base-image.sh; made here
# when missing). Extra arguments go to `berth build` (e.g. --push).
# Usage: [ARTICLES_VERSION=2] scripts/build-example-image.sh [--push ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

docker image inspect dotnet-base:10 >/dev/null 2>&1 || scripts/base-image.sh
rm -rf examples/articles/publish
dotnet publish examples/articles/src/Articles -c Release -o examples/articles/publish -nologo -v q
./berth build -c examples/articles/docker-compose.yml app "$@"

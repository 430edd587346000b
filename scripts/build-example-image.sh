#!/usr/bin/env bash
# Builds the articles example image with `./berth build`: the compose file's x-berth.artifact runs `dotnet publish` into
# examples/articles/publish first (the Dockerfile only copies that folder: no SDK image is available offline), and a
# missing base image dotnet-base:10 is made on the way (scripts/base-image.sh). The image is tagged as the app service's
# image: (articles:${ARTICLES_VERSION:-1}).
#
# Needs a Docker engine (scripts/start-docker.sh). Extra arguments go to `berth build` (e.g. --push).
# Usage: [ARTICLES_VERSION=2] scripts/build-example-image.sh [--push ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./berth build -c examples/articles/docker-compose.yml app "$@"

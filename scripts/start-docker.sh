#!/usr/bin/env bash
# Makes a Docker engine with an active single-node Swarm available on this machine.
# Idempotent: installs docker.io (apt) if dockerd is missing, starts dockerd in the
# background if `docker info` fails, waits up to 60 s, then `docker swarm init` if the
# swarm is not active. Exits non-zero with a message when it cannot.
#
# Environment: DOCKERD_LOG (default /var/log/dockerd-berth.log, or a tmp file if /var/log
# is not writable).
set -euo pipefail

say() { echo "start-docker: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

log="${DOCKERD_LOG:-/var/log/dockerd-berth.log}"
if ! { : >>"$log"; } 2>/dev/null; then log="$(mktemp -t dockerd-berth.XXXXXX.log)"; fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: cannot install or start dockerd"
  sudo_cmd=(sudo)
fi

# 1. Install the engine if missing (the docker CLI alone is not enough).
if ! command -v dockerd >/dev/null 2>&1; then
  command -v apt-get >/dev/null || die "dockerd is missing and apt-get is not available"
  say "installing docker.io (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
  "${sudo_cmd[@]}" apt-get install -y -qq docker.io >/dev/null || die "apt-get install docker.io failed"
  command -v dockerd >/dev/null || die "docker.io installed but dockerd is still not on PATH"
fi
command -v docker >/dev/null || die "docker CLI not found"

# 2. Start the daemon if it does not answer.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $log)..."
  "${sudo_cmd[@]}" nohup dockerd >>"$log" 2>&1 </dev/null &
  ok=0
  for _ in $(seq 1 120); do            # 120 x 0.5 s = 60 s max
    if docker info >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  if [[ $ok -ne 1 ]]; then
    say "dockerd did not answer within 60 s; last lines of $log:"
    tail -n 40 "$log" >&2 || true
    die "cannot start dockerd"
  fi
fi

# 3. Swarm.
state="$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)"
if [[ "$state" != "active" ]]; then
  addr="$(ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1 || true)"
  if [[ -z "$addr" ]]; then
    addr="$(ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1 || true)"
  fi
  [[ -n "$addr" ]] || die "no non-loopback IPv4 address for 'docker swarm init --advertise-addr'"
  say "docker swarm init --advertise-addr $addr"
  docker swarm init --advertise-addr "$addr" >/dev/null || die "docker swarm init failed"
  state="$(docker info --format '{{.Swarm.LocalNodeState}}')"
  [[ "$state" == "active" ]] || die "swarm state is '$state' after swarm init"
fi
say "ok: engine $(docker version --format '{{.Server.Version}}'), swarm $state"

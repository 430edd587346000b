#!/usr/bin/env bash
# A self-contained two-node Docker Swarm on this machine, for trying Berth's swarm runtime across nodes
# (tests/Berth.Tests/Swarm/TwoNodeSwarmTests.cs). It never touches the host's own dockerd or its Swarm.
#
#   scripts/swarm-two-nodes.sh up [IMAGE...]   # build it (idempotent), load IMAGE... (default berth-articles:test)
#   scripts/swarm-two-nodes.sh down            # remove everything `up` made
#   scripts/swarm-two-nodes.sh status          # what exists now
#
# Layout (all names fixed, one such Swarm per machine):
#
#   host netns:  berth-h0 10.213.0.1/24 ──┐
#   netns berth-sw:  bridge br0 ─── h0, n1, n2 (a switch; no dockerd there, so no firewall rules in the way)
#   netns berth-n1:  eth0 10.213.0.2/24   dockerd, Swarm manager (swarm init), hostname berth-n1
#   netns berth-n2:  eth0 10.213.0.3/24   dockerd, Swarm worker (swarm join), hostname berth-n2
#
# Each dockerd runs with nsenter --net (the host's mounts and cgroups stay visible) in its own UTS namespace (so
# the two nodes have different hostnames), with its own --data-root /var/lib/berth-nN, --exec-root /run/berth-nN/exec,
# socket unix:///run/berth-nN/docker.sock, --bridge=none, --cgroup-parent /berth-nN and a private containerd.
# The Swarm's address pool is 10.214.0.0/16. Tasks publish in host mode, so a task on node N answers at
# 10.213.0.(N+1):PORT from the host.
#
# `up` prints DOCKER_HOST=unix:///run/berth-n1/docker.sock on stdout (progress goes to stderr). Exit codes:
# 0 ok, 1 failure, 3 this machine does not allow it (not root, no `ip netns`, no nsenter/unshare/dockerd).
set -euo pipefail

NET=10.213.0
NODES=(1 2)
SWITCH_NS=berth-sw
HOST_LINK=berth-h0
POOL=10.214.0.0/16
WAIT_SECONDS=${BERTH_TWO_NODES_WAIT:-60}

say() { echo "swarm-two-nodes: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
refuse() { say "NOT POSSIBLE HERE: $*"; exit 3; }

ns_of() { echo "berth-n$1"; }
addr_of() { echo "$NET.$(($1 + 1))"; }
run_dir() { echo "/run/berth-n$1"; }
data_dir() { echo "/var/lib/berth-n$1"; }
socket_of() { echo "unix://$(run_dir "$1")/docker.sock"; }
dk() { local n=$1; shift; docker -H "$(socket_of "$n")" "$@"; }
ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
answers() { timeout 10 docker -H "$(socket_of "$1")" info >/dev/null 2>&1; }

# Polls "$@" every 0.5 s for at most WAIT_SECONDS; non-zero when it never succeeded.
wait_for() {
  local i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  return 1
}

preflight() {
  [[ $(id -u) -eq 0 ]] || refuse "needs root (network namespaces, veth pairs, a second dockerd)"
  local tool
  for tool in ip nsenter unshare dockerd docker timeout; do
    command -v "$tool" >/dev/null || refuse "'$tool' is not installed"
  done
  if ! ns_exists "$SWITCH_NS"; then
    local err
    if ! err=$(ip netns add "$SWITCH_NS" 2>&1); then
      refuse "'ip netns add $SWITCH_NS' failed: $err"
    fi
  fi
}

make_network() {
  local n ns
  for ns in "$SWITCH_NS" $(for n in "${NODES[@]}"; do ns_of "$n"; done); do
    ns_exists "$ns" || ip netns add "$ns"
    ip -n "$ns" link set lo up
  done

  ip -n "$SWITCH_NS" link show br0 >/dev/null 2>&1 || ip -n "$SWITCH_NS" link add br0 type bridge
  ip -n "$SWITCH_NS" link set br0 up

  if ! ip link show "$HOST_LINK" >/dev/null 2>&1; then
    ip link add "$HOST_LINK" type veth peer name h0 netns "$SWITCH_NS"
  fi
  ip addr replace "$NET.1/24" dev "$HOST_LINK"
  ip link set "$HOST_LINK" up
  ip -n "$SWITCH_NS" link set h0 master br0 up

  for n in "${NODES[@]}"; do
    ns=$(ns_of "$n")
    if ! ip -n "$SWITCH_NS" link show "n$n" >/dev/null 2>&1; then
      ip -n "$ns" link del eth0 2>/dev/null || true
      ip -n "$SWITCH_NS" link add "n$n" type veth peer name eth0 netns "$ns"
    fi
    ip -n "$SWITCH_NS" link set "n$n" master br0 up
    ip -n "$ns" addr replace "$(addr_of "$n")/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}

start_dockerd() {
  local n=$1 ns run data
  ns=$(ns_of "$n")
  run=$(run_dir "$n")
  data=$(data_dir "$n")
  if answers "$n"; then return 0; fi
  mkdir -p "$run/exec" "$data"
  echo '{}' >"$run/daemon.json"
  say "starting dockerd in netns $ns (log: $run/dockerd.log)"
  # setsid: the daemon outlives this script and the terminal; `down` stops it by its pidfile.
  setsid nsenter --net="/run/netns/$ns" unshare --uts -- sh -c "hostname $ns && exec dockerd \
      --config-file $run/daemon.json \
      --data-root $data \
      --exec-root $run/exec \
      --pidfile $run/docker.pid \
      -H $(socket_of "$n") \
      --bridge=none \
      --cgroup-parent /$ns \
      --containerd-namespace $ns \
      --containerd-plugins-namespace $ns-plugins \
      --log-level warn" \
    >>"$run/dockerd.log" 2>&1 </dev/null &
  if ! wait_for answers "$n"; then
    say "dockerd of $ns did not answer within ${WAIT_SECONDS}s; last lines of $run/dockerd.log:"
    tail -n 30 "$run/dockerd.log" >&2 || true
    die "cannot start dockerd in netns $ns"
  fi
}

swarm_state() { dk "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true; }
ready_nodes() { dk 1 node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || true; }
two_ready() { [[ $(ready_nodes) -ge ${#NODES[@]} ]]; }

make_swarm() {
  if [[ $(swarm_state 1) != active ]]; then
    say "swarm init on berth-n1 ($(addr_of 1))"
    dk 1 swarm init --advertise-addr "$(addr_of 1)" --listen-addr "$(addr_of 1):2377" \
      --default-addr-pool "$POOL" >/dev/null || die "swarm init on berth-n1 failed"
  fi
  local token n
  token=$(dk 1 swarm join-token -q worker) || die "cannot read the worker join token from berth-n1"
  for n in "${NODES[@]:1}"; do
    if [[ $(swarm_state "$n") != active ]]; then
      say "berth-n$n joins as a worker ($(addr_of "$n"))"
      dk "$n" swarm join --token "$token" --advertise-addr "$(addr_of "$n")" --listen-addr "$(addr_of "$n"):2377" \
        "$(addr_of 1):2377" >/dev/null || die "berth-n$n could not join the swarm of berth-n1"
    fi
  done
  if ! wait_for two_ready; then
    dk 1 node ls >&2 || true
    die "the swarm of berth-n1 does not show ${#NODES[@]} Ready nodes within ${WAIT_SECONDS}s"
  fi
}

load_images() {
  local image n host_id node_id
  for image in "$@"; do
    if ! host_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null); then
      say "warning: the host engine has no image $image: not loaded (build it first, e.g. scripts/build-example-image.sh)"
      continue
    fi
    for n in "${NODES[@]}"; do
      node_id=$(dk "$n" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
      if [[ "$node_id" != "$host_id" ]]; then
        say "loading $image into berth-n$n"
        docker save "$image" | dk "$n" load >/dev/null || die "loading $image into berth-n$n failed"
      fi
    done
  done
}

up() {
  preflight
  make_network
  local n
  for n in "${NODES[@]}"; do start_dockerd "$n"; done
  make_swarm
  if [[ $# -eq 0 ]]; then set -- berth-articles:test; fi
  load_images "$@"
  say "ok: $(ready_nodes) nodes ready; manager berth-n1 at $(addr_of 1)"
  echo "DOCKER_HOST=$(socket_of 1)"
}

# Stops node N's dockerd: its services and containers first (so no container outlives it), then the daemon by its
# pidfile (TERM, bounded wait, KILL), then whatever still runs in its network namespace or its cgroups.
stop_node() {
  local n=$1 ns run pid i
  ns=$(ns_of "$n")
  run=$(run_dir "$n")
  if answers "$n"; then
    if [[ $n -eq 1 ]]; then
      dk "$n" service ls -q 2>/dev/null | xargs -r timeout 30 docker -H "$(socket_of "$n")" service rm >/dev/null 2>&1 || true
    fi
    timeout 30 docker -H "$(socket_of "$n")" swarm leave --force >/dev/null 2>&1 || true
    dk "$n" ps -aq 2>/dev/null | xargs -r timeout 60 docker -H "$(socket_of "$n")" rm -f >/dev/null 2>&1 || true
  fi
  pid=$(cat "$run/docker.pid" 2>/dev/null || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    say "stopping dockerd of $ns (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if ns_exists "$ns"; then
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  local procs
  for procs in /sys/fs/cgroup/*/"$ns"/*/cgroup.procs /sys/fs/cgroup/*/"$ns"/cgroup.procs; do
    [[ -r "$procs" ]] || continue
    for pid in $(cat "$procs"); do kill -KILL "$pid" 2>/dev/null || true; done
  done
}

# Unmounts $1 and everything under it (deepest first): overlay layers, shm, network namespace handles, and the
# bind mount of the folder on itself that dockerd makes (and leaves when it is killed).
unmount_under() {
  local mount
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r mount; do
    umount -l "$mount" 2>/dev/null || true
  done
}

remove_cgroups() {
  local ns=$1 dir
  for dir in /sys/fs/cgroup/*/"$ns"; do
    [[ -d "$dir" ]] || continue
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

down() {
  [[ $(id -u) -eq 0 ]] || refuse "needs root"
  local n ns i
  for n in $(printf '%s\n' "${NODES[@]}" | sort -r); do stop_node "$n"; done
  ip link del "$HOST_LINK" 2>/dev/null || true
  for n in "${NODES[@]}"; do
    ns=$(ns_of "$n")
    unmount_under "$(run_dir "$n")"
    unmount_under "$(data_dir "$n")"
    if ns_exists "$ns"; then ip netns del "$ns"; fi
    for ((i = 0; i < 20; i++)); do
      if rm -rf "$(run_dir "$n")" "$(data_dir "$n")" 2>/dev/null; then break; fi
      sleep 0.5
    done
    remove_cgroups "$ns"
  done
  if ns_exists "$SWITCH_NS"; then ip netns del "$SWITCH_NS"; fi

  local left=()
  for ns in "$SWITCH_NS" berth-n1 berth-n2; do
    if ns_exists "$ns"; then left+=("netns $ns"); fi
  done
  if ip link show "$HOST_LINK" >/dev/null 2>&1; then left+=("link $HOST_LINK"); fi
  for n in "${NODES[@]}"; do
    if [[ -e "$(run_dir "$n")" ]]; then left+=("$(run_dir "$n")"); fi
    if [[ -e "$(data_dir "$n")" ]]; then left+=("$(data_dir "$n")"); fi
  done
  if [[ ${#left[@]} -gt 0 ]]; then die "left behind: ${left[*]}"; fi
  say "down: nothing left"
}

status() {
  local n ns
  for ns in "$SWITCH_NS" berth-n1 berth-n2; do
    if ns_exists "$ns"; then say "netns $ns: yes"; else say "netns $ns: no"; fi
  done
  for n in "${NODES[@]}"; do
    if answers "$n"; then say "berth-n$n dockerd: answers, swarm $(swarm_state "$n")"; else say "berth-n$n dockerd: not running"; fi
  done
  if answers 1; then dk 1 node ls >&2 || true; fi
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up [IMAGE...] | down | status" >&2; exit 2 ;;
esac

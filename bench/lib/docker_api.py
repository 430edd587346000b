#!/usr/bin/env python3
"""The Docker Engine API over the local unix socket, shared by the bench/ tools.

Imported by bench/rollout/tool.py, bench/swarm/tool.py, bench/strategies/probe.py and
bench/restart/measure.py (each puts bench/lib on sys.path relative to its own file).

  call(method, path)      -> the JSON body (None when empty); raises DockerApiError on HTTP >= 400
  get(path)               -> call("GET", path)
  get_or_none(path)       -> get(path), or None on HTTP >= 400
  task_host_port(task)    -> the IPv4 host port of a running task's container, or None
  running_ports(service)  -> sorted IPv4 host ports of the service's running tasks

Also a command line, used by bench/lib/swarm_front.sh:

  docker_api.py swarm-ports SERVICE
      IPv4 host ports (one per line, sorted) of the service's tasks that Swarm reports `running`
      with desired state `running` (with a healthcheck, `running` means the healthcheck passed;
      tasks being shut down have desired state `shutdown` and are left out).
"""
import http.client
import json
import socket
import sys
import urllib.parse

SOCKET = "/var/run/docker.sock"
API_VERSION = "/v1.41"
APP_PORT = "8080/tcp"   # the articles app's container port


class DockerApiError(RuntimeError):
    """An Engine API answer with HTTP status >= 400; the message is "METHOD PATH: STATUS BODY"."""


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket (the Engine API's /var/run/docker.sock)."""

    def __init__(self, path, timeout=5):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


def call(method, path, timeout=5, sock=SOCKET):
    """METHOD /v1.41PATH -> the decoded JSON body, None when the body is empty.
    Raises DockerApiError on HTTP >= 400 (OSError when the socket does not answer)."""
    c = UnixHTTPConnection(sock, timeout=timeout)
    try:
        c.request(method, API_VERSION + path)
        r = c.getresponse()
        body = r.read()
        if r.status >= 400:
            raise DockerApiError(f"{method} {path}: {r.status} {body[:200]!r}")
        return json.loads(body) if body else None
    finally:
        c.close()


def get(path, timeout=5):
    return call("GET", path, timeout=timeout)


def get_or_none(path, timeout=5):
    """get(path), or None when the engine answers HTTP >= 400."""
    try:
        return get(path, timeout=timeout)
    except DockerApiError:
        return None


def filters(f):
    """A dict of Engine API filters -> the URL-encoded `filters=` value."""
    return urllib.parse.quote(json.dumps(f))


def task_host_port(task):
    """The IPv4 host port of a task's container, None when the task is not running or has none.

    The task's PortStatus lists two host ports (IPv4 and IPv6) and on engine 20.10 they can
    DIFFER (and one task's IPv6 port can equal another task's IPv4 port): take the IPv4 binding
    (HostIp 0.0.0.0) from the container itself."""
    if task.get("Status", {}).get("State") != "running":
        return None
    cid = (task["Status"].get("ContainerStatus") or {}).get("ContainerID")
    c = get_or_none(f"/containers/{cid}/json") if cid else None
    if not c:
        return None
    for b in (c.get("NetworkSettings", {}).get("Ports") or {}).get(APP_PORT) or []:
        if b.get("HostIp") in ("0.0.0.0", "") and b.get("HostPort"):
            return int(b["HostPort"])
    return None


def running_ports(service):
    """Sorted IPv4 host ports of the service's running tasks (desired state running).
    Raises DockerApiError when the task list cannot be read."""
    tasks = get(f"/tasks?filters={filters({'service': [service], 'desired-state': ['running']})}")
    return sorted({p for p in map(task_host_port, tasks) if p})


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "swarm-ports":
        try:
            ports = running_ports(sys.argv[2])
        except DockerApiError as e:
            raise SystemExit(str(e))
        for p in ports:
            print(p)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

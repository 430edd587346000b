#!/usr/bin/env python3
"""
Does one Swarm service per replica cost time? (issue 19, item 4.) Times, from the first create call until 4 tasks run,
six ways of asking the engine for 4 tasks of articles:bench on one overlay network, host-mode port, no healthcheck:
one service of 4 replicas (what `docker stack deploy` makes) or 4 services of 1 (what Berth makes), created one after
the other or at once, each with endpoint mode vip or dnsrr. Runs alternate (forward, then backward order).

Usage (as root, dockerd with a Swarm and the articles:bench image, e.g. after bench/swarm/run.sh):
    python3 bench/swarm/service-shapes.py [ROUNDS]     (default 4: 24 runs, ~3 minutes)
Everything it creates is labelled exp=1 and removed after each run; the network expnet at the end.
"""
import http.client, json, socket, sys, threading, time

class UnixConn(http.client.HTTPConnection):
    def __init__(self): super().__init__("localhost")
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect("/var/run/docker.sock")

def api(method, path, body=None):
    c = UnixConn(); c.request(method, path, json.dumps(body) if body is not None else None, {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, (json.loads(data) if data else None)

def spec(name, replicas, mode, net):
    return {"Name": name, "Labels": {"exp": "1"},
            "TaskTemplate": {"ContainerSpec": {"Image": "articles:bench", "Healthcheck": {"Test": ["NONE"]}},
                             "Networks": [{"Target": net, "Aliases": ["app"]}]},
            "Mode": {"Replicated": {"Replicas": replicas}},
            "EndpointSpec": {"Mode": mode, "Ports": [{"Protocol": "tcp", "TargetPort": 8080, "PublishMode": "host"}]}}

def running():
    _, tasks = api("GET", "/tasks?filters=" + json.dumps({"label": ["exp=1"]}).replace(" ", ""))
    return sum(1 for t in tasks if t["Status"]["State"] == "running" and t["DesiredState"] == "running")

def cleanup():
    _, svcs = api("GET", "/services?filters=" + json.dumps({"label": ["exp=1"]}).replace(" ", ""))
    for s in svcs: api("DELETE", "/services/" + s["ID"])
    for _ in range(300):
        _, cs = api("GET", "/containers/json?all=1&filters=" + json.dumps({"label": ["com.docker.swarm.service.name"]}).replace(" ", ""))
        if not [c for c in cs if any(n.startswith("/exp") for n in c["Names"])]: break
        time.sleep(0.1)

def run(shape, mode, net):
    t0 = time.monotonic()
    if shape == "one":
        api("POST", "/services/create", spec("exp1", 4, mode, net))
    elif shape == "seq":
        for i in range(4): api("POST", "/services/create", spec(f"exp{i}", 1, mode, net))
    else:
        ts = [threading.Thread(target=api, args=("POST", "/services/create", spec(f"exp{i}", 1, mode, net))) for i in range(4)]
        [t.start() for t in ts]; [t.join() for t in ts]
    created = time.monotonic() - t0
    while running() < 4 and time.monotonic() - t0 < 30: time.sleep(0.02)
    return created, time.monotonic() - t0

net = "expnet"
st, n = api("POST", "/networks/create", {"Name": net, "Driver": "overlay", "Attachable": True})
cleanup()
variants = [(s, m) for s in ("one", "seq", "par") for m in ("vip", "dnsrr")]
results = {v: [] for v in variants}
for r in range(int(sys.argv[1]) if len(sys.argv) > 1 else 4):
    for v in (variants if r % 2 == 0 else variants[::-1]):
        c, t = run(*v, net); results[v].append((c, t)); cleanup(); time.sleep(0.5)
for v, rs in results.items():
    ts = sorted(t for _, t in rs); cs = sorted(c for c, _ in rs)
    print(f"{v[0]:4} {v[1]:6} created {cs[len(cs)//2]:.3f}s  all running median {ts[len(ts)//2]:.3f}s  runs {' '.join(f'{t:.2f}' for _, t in rs)}")
api("DELETE", "/networks/" + net)

"""A second accelerator on the product's control plane: two replicas behind one control plane, as a Deployment with
two pods runs them. It is started exactly as the local runner started the first one (the same java command line
and environment, read from /proc), with its own port, spool, hot tier and peer listener."""
import os
import time

from .common import fail, log
from .net import free_port, http_request


def _proc_strings(pid, name):
    with open(f"/proc/{pid}/{name}", "rb") as f:
        return [x.decode() for x in f.read().split(b"\0") if x]


def peer_settings(port):
    """DP_PEER_PORT and DP_PEER_ADVERTISE_URL of a replica (a build without peer sharing ignores them)."""
    return {"DP_PEER_PORT": str(port), "DP_PEER_ADVERTISE_URL": f"http://127.0.0.1:{port}"}


class Replica:
    def __init__(self, bench, product, name):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = _proc_strings(product.pid, "cmdline")
        env = dict(kv.split("=", 1) for kv in _proc_strings(product.pid, "environ") if "=" in kv)
        root = os.path.join(bench.work, f"replica-{name}")
        env.update(DP_HTTP_PORT=str(self.port), DP_HTTP_HOST="127.0.0.1", DP_EXTERNAL_URL=self.url,
                   DP_SPOOL_DIR=os.path.join(root, "spool"), **peer_settings(free_port()))
        if "DP_HOT_CACHE_DIR" in env:
            env["DP_HOT_CACHE_DIR"] = os.path.join(root, "hot")
        os.makedirs(root, exist_ok=True)
        self.bench = bench
        self.log_path = os.path.join(bench.work, f"accelerator-{name}.log")
        self.process = bench.procs.start(argv, self.log_path, env=env)
        deadline = time.monotonic() + 180
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = open(self.log_path, errors="replace").read()[-3000:]
                fail(f"the second accelerator did not come up (exit {self.process.poll()}):\n{tail}")
            try:
                if http_request("GET", f"{self.url}/-/health/ready", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        log(f"   replica {name} up on port {self.port} (pid {self.process.pid}), same control plane")

    def stop(self):
        self.bench.procs.stop(self.process)

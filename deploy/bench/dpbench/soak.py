"""`make soak`: many concurrent clients pulling a mix of manifests and blobs, cold and warm, for a while.

A real upstream (`docker-registry`) holds --images small images; the product (the local runner) runs in front of
it; --clients threads pull random images through it for --seconds: a manifest by tag or by digest, then its
config and layers (some as HEAD), every answer checked (status, Content-Length, Docker-Content-Digest, the
sha256 of every body). The first pulls of each image are cold and concurrent, the rest warm.

It passes when there were no errors and no corrupt bytes, and the upstream served each distinct blob at most once
(the upstream's access log is counted). It prints requests, bytes, errors by kind, upstream GETs per blob and per
manifest, and the peak resident memory of both services (sampled from /proc while it runs, and the kernel's
high-water mark)."""
import argparse
import hashlib
import http.client
import json
import random
import re
import shutil
import sys
import threading
import time
from collections import Counter

from .common import MiB, fail, log
from .net import listener_pid
from .processes import proc_status, run_in_scratch
from .product import Product, snapshot_jars
from .registry import Registry, push_image

MANIFEST_ACCEPT = ", ".join(["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                             "application/vnd.docker.distribution.manifest.v2+json"])


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    ap.add_argument("--seconds", type=int, default=60, help="how long they pull (default 60)")
    ap.add_argument("--images", type=int, default=24, help="distinct images in the upstream (default 24)")
    ap.add_argument("--layers", type=int, default=3, help="layers per image (default 3)")
    ap.add_argument("--max-layer-kib", type=int, default=4096, help="largest layer, KiB (default 4096)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory (logs) after the run")
    for name in ("control-plane", "accelerator", "runner"):
        ap.add_argument(f"--{name}-jar", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if min(args.clients, args.seconds, args.images, args.layers, args.max_layer_kib) < 1:
        ap.error("counts and sizes must be positive")
    return args


class Tally:
    """What the clients saw, counted under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = Counter()
        self.bytes = 0
        self.errors = Counter()
        self.examples = []
        self.corrupt = 0

    def ok(self, kind, nbytes):
        with self.lock:
            self.requests[kind] += 1
            self.bytes += nbytes

    def error(self, kind, detail, corrupt=False):
        with self.lock:
            self.errors[kind] += 1
            self.corrupt += 1 if corrupt else 0
            if len(self.examples) < 12:
                self.examples.append(f"{kind}: {detail}"[:400])


class Soak:
    """The run's shared state, shaped like the benchmark's (Registry and Product take it)."""

    def __init__(self, args, work, procs):
        self.args = args
        self.work = work
        self.procs = procs
        self.tally = Tally()
        self.token_lock = threading.Lock()

    def prepare(self, jars):
        rnd = random.Random(7)
        log(f"== the upstream: {self.args.images} images of {self.args.layers} layers (16 KiB to "
            f"{self.args.max_layer_kib} KiB)")
        self.upstream = Registry(self, "upstream", access_log=True)
        self.images = [push_image(self.upstream, self.work, f"library/soak-{i}", "v1",
                                  [rnd.randint(16, self.args.max_layer_kib) * 1024 + rnd.randint(0, 1023)
                                   for _ in range(self.args.layers)])
                       for i in range(self.args.images)]
        self.product = Product(self, self.upstream.url, jars)
        self.product.start(hot=True)
        self.product.create_group("soak")

    def bearer(self):
        with self.token_lock:
            return self.product.bearer().split(": ", 1)[1]

    # -- one client ------------------------------------------------------------------------------------------------

    def client(self, seed, deadline):
        rnd = random.Random(seed)
        conn = None
        while time.monotonic() < deadline:
            image = rnd.choice(self.images)
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.product.port, timeout=120,
                                                          blocksize=MiB)
                self.pull(conn, rnd, image)
            except (OSError, http.client.HTTPException) as e:
                self.tally.error("transport", f"{image.repo}: {type(e).__name__}: {e}")
                conn.close()
                conn = None
        if conn:
            conn.close()

    def pull(self, conn, rnd, image):
        base = f"/v2/{self.product.image_path('soak', image.repo.split('/', 1)[1])}"
        ref = image.tag if rnd.random() < 0.7 else image.manifest_digest
        body = self.get(conn, f"{base}/manifests/{ref}", "manifest", image.manifest_digest, len(image.manifest),
                        accept=MANIFEST_ACCEPT)
        if body is None:
            return
        manifest = json.loads(body)
        for blob in [manifest["config"]] + manifest["layers"]:
            if rnd.random() < 0.1:
                self.head(conn, f"{base}/blobs/{blob['digest']}", blob["digest"], blob["size"])
            else:
                self.get(conn, f"{base}/blobs/{blob['digest']}", "blob", blob["digest"], blob["size"])

    def request(self, conn, method, path, accept=None):
        headers = {"Authorization": self.bearer()}
        if accept:
            headers["Accept"] = accept
        conn.request(method, path, headers=headers)
        return conn.getresponse()

    def get(self, conn, path, kind, digest, size, accept=None):
        """A checked GET; the body for manifests (small), None after an error."""
        r = self.request(conn, "GET", path, accept)
        h = hashlib.sha256()
        got = 0
        keep = bytearray() if kind == "manifest" else None
        while chunk := r.read(MiB):
            h.update(chunk)
            got += len(chunk)
            if keep is not None:
                keep += chunk
        if r.status != 200:
            self.tally.error(f"{kind} {r.status}", f"{path}: {bytes(keep or b'')[:200]!r}")
            return None
        problems = []
        if got != size or r.getheader("Content-Length") != str(size):
            problems.append(f"{got} bytes, Content-Length {r.getheader('Content-Length')}, expected {size}")
        if "sha256:" + h.hexdigest() != digest:
            problems.append("the body does not hash to its digest")
        if r.getheader("Docker-Content-Digest") != digest:
            problems.append(f"Docker-Content-Digest {r.getheader('Docker-Content-Digest')}")
        if problems:
            self.tally.error(f"{kind} corrupt", f"{path}: " + "; ".join(problems), corrupt=True)
            return None
        self.tally.ok(kind, got)
        return bytes(keep) if keep is not None else b""

    def head(self, conn, path, digest, size):
        r = self.request(conn, "HEAD", path)
        r.read()
        if r.status != 200 or r.getheader("Content-Length") != str(size) \
                or r.getheader("Docker-Content-Digest") != digest:
            self.tally.error(f"blob HEAD {r.status}", f"{path}: Content-Length {r.getheader('Content-Length')}, "
                                                     f"digest {r.getheader('Docker-Content-Digest')}")
            return
        self.tally.ok("blob HEAD", 0)

    # -- the run -----------------------------------------------------------------------------------------------------

    def run(self, jars):
        self.prepare(jars)
        pids = {"accelerator": self.product.pid, "control plane": listener_pid(self.product.cp_port)}
        peaks = {name: 0 for name in pids}
        stop = threading.Event()

        def sample():
            while not stop.wait(0.2):
                for name, pid in pids.items():
                    peaks[name] = max(peaks[name], proc_status(pid, "VmRSS"))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        log(f"== {self.args.clients} clients for {self.args.seconds} s")
        started = time.monotonic()
        deadline = started + self.args.seconds
        clients = [threading.Thread(target=self.client, args=(i, deadline), daemon=True)
                   for i in range(self.args.clients)]
        for c in clients:
            c.start()
        for c in clients:
            c.join(self.args.seconds + 300)
        wall = time.monotonic() - started
        stop.set()
        sampler.join()
        if any(c.is_alive() for c in clients):
            self.tally.error("hung", "a client was still waiting 300 s after the end")
        time.sleep(3)  # the last uploads finalize; the access log is written after each answer
        return self.report(wall, peaks, {name: proc_status(pid, "VmHWM") for name, pid in pids.items()})

    def report(self, wall, peaks, high_water):
        t = self.tally
        blob_gets, manifest_gets = self.upstream_gets()
        distinct = {d for image in self.images for d in image.blobs}
        fetched = {d: n for d, n in blob_gets.items() if d in distinct}
        twice = {d: n for d, n in fetched.items() if n > 1}
        total = sum(t.requests.values())
        log("== soak results")
        log(f"   {total} requests in {wall:.1f} s ({total / wall:.0f}/s), {t.bytes / MiB:.0f} MiB checked "
            f"({t.bytes / MiB / wall:.0f} MiB/s): " + ", ".join(f"{k} {v}" for k, v in sorted(t.requests.items())))
        log(f"   errors: {sum(t.errors.values())}" + (" (" + ", ".join(f"{k} {v}" for k, v in t.errors.items()) + ")"
                                                    if t.errors else "") + f"; corrupt answers: {t.corrupt}")
        for example in t.examples:
            log(f"     {example}")
        log(f"   upstream blob GETs: {sum(fetched.values())} for {len(fetched)} distinct blobs fetched of "
            f"{len(distinct)}" + (f"; fetched more than once: {len(twice)} ({sum(twice.values())} GETs)" if twice
                                  else "; none fetched twice"))
        log(f"   upstream manifest GETs: {sum(manifest_gets.values())} for {len(manifest_gets)} images")
        for name in peaks:
            log(f"   peak RSS {name}: {peaks[name] / 1e6:.0f} MB while pulling (high-water mark since start "
                f"{high_water[name] / 1e6:.0f} MB)")
        problems = []
        if t.errors:
            problems.append(f"{sum(t.errors.values())} errors")
        if twice:
            problems.append(f"{len(twice)} blobs fetched from the upstream more than once")
        if total == 0:
            problems.append("no request completed")
        if problems:
            fail("; ".join(problems))
        log("soak: PASSED")

    def upstream_gets(self):
        blobs, manifests = Counter(), Counter()
        pattern = re.compile(r'"GET /v2/(library/soak-\d+)/(blobs|manifests)/([^ ?"]+)')
        with open(self.upstream.log_path, errors="replace") as f:
            for line in f:
                m = pattern.search(line)
                if m and ' 200 ' in line[m.end():m.end() + 40]:
                    (blobs if m.group(2) == "blobs" else manifests)[m.group(3) if m.group(2) == "blobs"
                                                                    else m.group(1)] += 1
        return blobs, manifests


def main(argv):
    args = parse_args(argv)
    for tool in ("docker-registry", "ss", "java"):
        if shutil.which(tool) is None:
            print(f"soak: {tool} is missing (make soak installs the test tools first)", file=sys.stderr)
            return 2
    return run_in_scratch("soak", lambda work, procs: Soak(args, work, procs).run(snapshot_jars(args, work)),
                          args.keep)

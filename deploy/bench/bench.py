#!/usr/bin/env python3
"""The side-by-side benchmark of design.md section 9, in one run on loopback.

Everything it compares runs on this machine at the same time, started fresh by this program:
  - a real upstream registry (CNCF distribution, `docker-registry`) holding a blob of --blob-mib and a
    multi-layer image,
  - the product (the local runner: PostgreSQL, an S3 server, control plane, accelerator), started twice on the
    same data: first with the hot tier off (hits come from object storage), then with it on,
  - CNCF distribution in proxy mode in front of the same upstream, the reference.

Sections: blob transfers (upstream direct, distribution proxy cold/warm, S3 server direct, accelerator cold,
warm from object storage, warm from the hot tier), 16 concurrent cold pulls, memory and CPU under concurrent
streams, a full image pulled with skopeo, request rates (wrk; ab for HEAD, which wrk 4.1 cannot do).

Every measured request is checked (status, byte count, a cache hit where one is claimed, upstream fetches where
they matter) and each path's body is hashed once; one failed check fails the run. A figure that looks too good
is a bug until proven otherwise. Results are printed and written to a Markdown file (see --output).
"""
import argparse
import base64
import contextlib
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

MiB = 1024 * 1024
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH_DIR = os.path.join(REPO_ROOT, "deploy", "bench")
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
ACCEPT_MANIFESTS = "Accept: " + ", ".join([
    OCI_MANIFEST, "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json"])
TOOLS = {  # command -> Debian package
    "docker-registry": "docker-registry", "curl": "curl", "wrk": "wrk", "ab": "apache2-utils",
    "skopeo": "skopeo", "ss": "iproute2", "java": "openjdk-17-jre-headless", "git": "git"}


class BenchFailure(Exception):
    """A check failed: the run stops and exits non-zero."""


def fail(message):
    raise BenchFailure(message)


def log(message):
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Small helpers: ports, processes, HTTP for set-up, curl for measurements
# ---------------------------------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=120, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            fail(f"the process meant to listen on port {port} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    fail(f"port {port} never opened")


class Processes:
    """Everything this run starts, each in its own session, stopped in reverse order (also on failure)."""

    def __init__(self):
        self.running = []

    def start(self, argv, log_path, env=None):
        with open(log_path, "ab") as out:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                 cwd=REPO_ROOT, start_new_session=True)
        self.running.append(p)
        return p

    def stop(self, p, grace=40):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)  # the group of a process this run started (the runner's children)
                p.wait()
        if p in self.running:
            self.running.remove(p)

    def stop_all(self):
        for p in reversed(list(self.running)):
            self.stop(p)


def http_request(method, url, body=None, headers=None, timeout=120):
    """Set-up requests (pushes, admin API): (status, headers, body bytes). body may be bytes or a file."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout, blocksize=MiB)
    try:
        path = u.path + ("?" + u.query if u.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        conn.close()


def http_ok(method, url, body=None, headers=None, expect=(200, 201, 202)):
    status, hdrs, data = http_request(method, url, body, headers)
    if status not in expect:
        fail(f"{method} {url} answered {status}: {data[:300]!r}")
    return hdrs, data


@dataclass
class Answer:
    status: int
    size: int
    seconds: float
    cache: str
    length: str


CURL_FORMAT = "%{http_code}|%{size_download}|%{time_total}|%header{x-dependency-proxy-cache}|%header{content-length}"


def max_seconds(total_bytes):
    """A transfer slower than 10 MiB/s (plus two minutes) counts as hung: it fails instead of waiting forever."""
    return 120 + total_bytes // (10 * MiB)


def curl_argv(url, headers=(), method="GET", out=os.devnull, extra=(), timeout=120):
    argv = ["curl", "-sS", "--max-time", str(timeout), "-o", out, "-w", CURL_FORMAT, *extra]
    if method == "HEAD":
        argv.append("-I")
    elif method != "GET":
        argv += ["-X", method]
    for h in headers:
        argv += ["-H", h]
    return argv + [url]


def parse_answer(text):
    parts = text.strip().split("|")
    if len(parts) != 5 or not parts[0].isdigit():
        return Answer(0, 0, 0.0, "", "")
    return Answer(int(parts[0]), int(parts[1]), float(parts[2]), parts[3].strip().lower(), parts[4].strip())


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 * MiB):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


class Client:
    """Checked requests through curl: every answer's status and byte count, a hit where asked, a hash on demand."""

    def __init__(self, work):
        self.work = work

    def get(self, label, url, expected_bytes, headers=(), digest=None, hit=None, extra=()):
        out = os.path.join(self.work, "verify.body") if digest else os.devnull
        r = subprocess.run(curl_argv(url, headers, out=out, extra=extra, timeout=max_seconds(expected_bytes)),
                           capture_output=True, text=True)
        a = parse_answer(r.stdout)
        if a.status != 200 or a.size != expected_bytes:
            fail(f"{label}: GET {url} answered {a.status or 'nothing'} with {a.size} of {expected_bytes} bytes "
                 f"{r.stderr.strip()}")
        if hit is not None and (a.cache == "hit") != hit:
            fail(f"{label}: expected {'a cache hit' if hit else 'a miss'}, X-Dependency-Proxy-Cache was "
                 f"{a.cache or 'absent'}")
        if digest:
            got = sha256_file(out)
            os.remove(out)
            if got != digest:
                fail(f"{label}: the body hashes to {got}, expected {digest}")
        return a

    def head(self, label, url, expected_length, headers=()):
        r = subprocess.run(curl_argv(url, headers, method="HEAD"), capture_output=True, text=True)
        a = parse_answer(r.stdout)
        if a.status != 200 or a.length != str(expected_length):
            fail(f"{label}: HEAD {url} answered {a.status or 'nothing'}, Content-Length {a.length or 'absent'} "
                 f"(expected 200, {expected_length})")
        return a

    def parallel_get(self, label, n, url, expected_bytes, headers=(), hit=None):
        """n concurrent GETs; wall seconds; fails unless every one answered 200 with the full body."""
        start = time.monotonic()
        argv = curl_argv(url, headers, timeout=max_seconds(n * expected_bytes))
        procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
        outputs = [p.communicate() for p in procs]
        wall = time.monotonic() - start
        bad = []
        for i, (stdout, stderr) in enumerate(outputs):
            a = parse_answer(stdout)
            if a.status != 200 or a.size != expected_bytes or (hit is not None and (a.cache == "hit") != hit):
                bad.append(f"stream {i}: {a.status} {a.size}/{expected_bytes} cache={a.cache or '-'} {stderr.strip()}")
        if bad:
            fail(f"{label}: {len(bad)} of {n} concurrent GETs failed: " + "; ".join(bad[:5]))
        return wall


def run_tool(argv, timeout):
    """A measuring tool's run; one that hangs fails the run."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"{argv[0]} did not finish within {timeout} s: {' '.join(argv)[:300]}")


def median(values):
    return statistics.median(values)


def fmt_s(seconds):
    return f"{seconds:.3f} s"


def mib_per_s(nbytes, seconds):
    return nbytes / MiB / seconds


# ---------------------------------------------------------------------------------------------------------------
# The upstream and the reference: CNCF distribution
# ---------------------------------------------------------------------------------------------------------------

class Registry:
    """docker-registry on a free port; proxy mode when remote is set. Access log kept only where it is counted."""

    def __init__(self, bench, name, remote=None, access_log=False):
        self.dir = os.path.join(bench.work, name)
        os.makedirs(os.path.join(self.dir, "storage"), exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.dir, "log")
        config = [
            "version: 0.1",
            f"log: {{level: error, accesslog: {{disabled: {'false' if access_log else 'true'}}}}}",
            f"storage: {{filesystem: {{rootdirectory: {self.dir}/storage}}, delete: {{enabled: true}}}}",
            f"http: {{addr: 127.0.0.1:{self.port}, secret: bench}}"]
        if remote:
            config.append(f"proxy: {{remoteurl: {remote}}}")
        with open(os.path.join(self.dir, "config.yml"), "w") as f:
            f.write("\n".join(config) + "\n")
        self.bench = bench
        self.process = bench.procs.start(["docker-registry", "serve", os.path.join(self.dir, "config.yml")],
                                         self.log_path)
        wait_port(self.port, process=self.process)

    def stop(self, remove=False):
        self.bench.procs.stop(self.process)
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)

    def count(self, method, path):
        """How many access-log lines show `method path` (e.g. the upstream GETs of one blob)."""
        time.sleep(0.3)  # the line is written right after the answer
        needle = f'"{method} {path}'
        with open(self.log_path, errors="replace") as f:
            return sum(1 for line in f if needle in line)

    def push_blob(self, repo, path, digest):
        hdrs, _ = http_ok("POST", f"{self.url}/v2/{repo}/blobs/uploads/", headers={"Content-Length": "0"})
        location = urllib.parse.urljoin(self.url, hdrs["location"])
        sep = "&" if "?" in location else "?"
        with open(path, "rb") as body:
            http_ok("PUT", f"{location}{sep}digest={digest}", body=body,
                    headers={"Content-Type": "application/octet-stream", "Content-Length": str(os.path.getsize(path))})

    def push_manifest(self, repo, tag, manifest_bytes):
        http_ok("PUT", f"{self.url}/v2/{repo}/manifests/{tag}", body=manifest_bytes,
                headers={"Content-Type": OCI_MANIFEST})


def random_file(path, nbytes):
    """nbytes of random data; returns its digest."""
    h = hashlib.sha256()
    with open(path, "wb") as f:
        left = nbytes
        while left:
            chunk = os.urandom(min(left, 4 * MiB))
            h.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    return "sha256:" + h.hexdigest()


@dataclass
class Image:
    repo: str  # in the upstream
    tag: str
    manifest: bytes
    manifest_digest: str
    blobs: dict  # digest -> size (config and layers)


def push_image(upstream, work, repo, tag, layer_sizes):
    """An OCI image (plain random layers, a config naming them) pushed to the upstream."""
    blobs = {}
    layers = []
    for i, size in enumerate(layer_sizes):
        path = os.path.join(work, f"{repo.replace('/', '_')}-layer{i}")
        digest = random_file(path, size)
        upstream.push_blob(repo, path, digest)
        os.remove(path)
        blobs[digest] = size
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": size})
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]},
                         "history": [{"created": "2026-01-01T00:00:00Z"} for _ in layers]}).encode()
    config_path = os.path.join(work, "config.json")
    with open(config_path, "wb") as f:
        f.write(config)
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    upstream.push_blob(repo, config_path, config_digest)
    blobs[config_digest] = len(config)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": config_digest, "size": len(config)},
                           "layers": layers}).encode()
    upstream.push_manifest(repo, tag, manifest)
    return Image(repo, tag, manifest, "sha256:" + hashlib.sha256(manifest).hexdigest(), blobs)


# ---------------------------------------------------------------------------------------------------------------
# The product: the local runner (PostgreSQL, S3 server, control plane, accelerator)
# ---------------------------------------------------------------------------------------------------------------

class Product:
    """The local runner on one DP_DATA_DIR; start(hot) and stop() may alternate (the data survives)."""

    def __init__(self, bench, upstream_url, jars):
        self.bench = bench
        self.jars = jars
        self.data = os.path.join(bench.work, "data")
        self.hot_dir = os.path.join(bench.work, "hot")
        self.port = free_port()
        self.cp_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = "dpat-bench-" + base64.b32encode(os.urandom(10)).decode().lower()
        self.upstream_url = upstream_url
        self.process = None
        self.pid = None
        self.hot = None
        self._jwt = (None, 0.0)

    def start(self, hot):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DP_") or k.endswith("_JAVA_OPTS")}
        env.update(DP_DATA_DIR=self.data, DP_HTTP_PORT=str(self.port), DP_CONTROL_PLANE_PORT=str(self.cp_port),
                   DP_EXTERNAL_URL=self.url, DP_ADMIN_TOKEN=self.token, DP_UPSTREAM_URL=self.upstream_url,
                   DP_UPSTREAM_SINGLE_NAME_PREFIX="library", DP_LOG_FORMAT="text",
                   QUARKUS_HTTP_HOST="127.0.0.1")  # the control plane on loopback too
        if hot:
            env["DP_HOT_CACHE_DIR"] = self.hot_dir
        else:
            env["DP_HOT_CACHE_MAX_BYTES"] = "0"
        self.hot = hot
        log_path = self.log_path = os.path.join(self.bench.work, f"runner-{'hot' if hot else 'nohot'}.log")
        self.log_offset = 0
        self.process = self.bench.procs.start(
            ["java", "-jar", self.jars["runner"], "--control-plane-jar", self.jars["control-plane"],
             "--accelerator-jar", self.jars["accelerator"]], log_path, env=env)
        deadline = time.monotonic() + 300
        while "Admin token:" not in open(log_path, errors="replace").read():
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = open(log_path, errors="replace").read()[-3000:]
                fail(f"the local runner did not come up (exit {self.process.poll()}):\n{tail}")
            time.sleep(0.5)
        self.pid = self.listener_pid()
        self._jwt = (None, 0.0)
        log(f"   product up (hot tier {'on, ' + self.hot_dir if hot else 'off: DP_HOT_CACHE_MAX_BYTES=0'}), "
            f"accelerator pid {self.pid}")

    def stop(self):
        if self.process:
            self.bench.procs.stop(self.process)
            self.process = None

    def listener_pid(self):
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{self.port}"], capture_output=True, text=True).stdout
        m = re.search(r"pid=(\d+)", out)
        if not m:
            fail(f"no process listens on the accelerator port {self.port}")
        return int(m.group(1))

    def api(self, method, path, form=None):
        body = urllib.parse.urlencode(form).encode() if form else None
        headers = {"PRIVATE-TOKEN": self.token}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        _, data = http_ok(method, f"{self.url}/api/v4/{path}", body=body, headers=headers)
        return json.loads(data) if data else None

    def create_group(self, name, revalidate_after=None):
        self.api("POST", "groups", {"name": name, "path": name})
        if revalidate_after is not None:
            view = self.api("PUT", f"groups/{name}/dependency_proxy/settings",
                            {"manifest_revalidate_after": revalidate_after})
            if view.get("manifest_revalidate_after") != revalidate_after:
                fail(f"group {name}: manifest_revalidate_after is {view.get('manifest_revalidate_after')}, "
                     f"not {revalidate_after}")

    def group_id(self, name):
        return self.api("GET", f"groups/{name}")["id"]

    def basic(self):
        return "Authorization: Basic " + base64.b64encode(f"root:{self.token}".encode()).decode()

    def bearer(self):
        """A fresh enough registry token (renewed every two minutes)."""
        token, at = self._jwt
        if token is None or time.monotonic() - at > 120:
            _, data = http_ok("GET", f"{self.url}/jwt/auth?service=dependency_proxy",
                              headers={"Authorization": self.basic().split(": ", 1)[1]})
            token = json.loads(data)["token"]
            self._jwt = (token, time.monotonic())
        return "Authorization: Bearer " + token

    def image_path(self, group, image="bench"):
        return f"{group}/dependency_proxy/containers/{image}"

    def blob_url(self, group, digest, image="bench"):
        return f"{self.url}/v2/{self.image_path(group, image)}/blobs/{digest}"

    def new_store_failures(self):
        """Lines the services logged since the last call that say a download was not stored."""
        with open(self.log_path, errors="replace") as f:
            f.seek(self.log_offset)
            text = f.read()
            self.log_offset = f.tell()
        return [line[:600] for line in text.splitlines() if "not stored" in line]

    def await_hit(self, group, digest, image="bench", timeout=120):
        """The blob is stored after a cold pull, asynchronously: HEAD until the accelerator answers a hit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            failures = self.new_store_failures()
            if failures:
                fail(f"the blob {digest} of group {group} was not stored: " + "\n".join(failures))
            r = subprocess.run(curl_argv(self.blob_url(group, digest, image), [self.bearer()], method="HEAD"),
                               capture_output=True, text=True)
            if parse_answer(r.stdout).cache == "hit":
                return
            time.sleep(0.2)
        fail(f"the blob {digest} of group {group} was never stored")

    def hot_copies(self, nbytes, directory=None):
        """Files of exactly nbytes under the hot-tier directory (the evidence that the hot tier holds the blob)."""
        found = []
        for root, _, files in os.walk(directory or self.hot_dir):
            found += [f for f in files if os.path.getsize(os.path.join(root, f)) == nbytes]
        return found

    def s3_get_args(self, key):
        port = open(os.path.join(self.data, "s3.port")).read().strip()
        props = dict(line.strip().split("=", 1) for line in open(os.path.join(self.data, "credentials.properties"))
                     if "=" in line and not line.startswith("#"))
        url = f"http://127.0.0.1:{port}/dependency-proxy/{key}"
        # curl signs no payload hash unless told; S3 servers then refuse the request (XAmzContentSHA256Mismatch)
        extra = ["--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{props['s3.access-key']}:{props['s3.secret-key']}"]
        return url, ["x-amz-content-sha256: UNSIGNED-PAYLOAD"], extra


# ---------------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Row:
    path: str
    ours: str
    reference: str
    ratio: float = None
    target: str = "—"
    met: bool = None  # None: no target

    def cells(self):
        met = "—" if self.met is None else ("yes" if self.met else "**no**")
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}"
        return [self.path, self.ours, self.reference, ratio, self.target, met]


@dataclass
class Section:
    title: str
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, row):
        self.rows.append(row)
        log(f"   {row.path}: {row.ours} vs {row.reference}"
            + ("" if row.ratio is None else f", ratio {row.ratio:.2f}")
            + ("" if row.met is None else f" (target {row.target}: {'met' if row.met else 'NOT met'})"))

    def note(self, text):
        self.notes.append(text)
        log(f"   note: {text}")


def at_most(limit):
    return f"≤ {limit}", lambda r: r <= limit


def at_least(limit):
    return f"≥ {limit}", lambda r: r >= limit


def targeted(path, ours, reference, ratio, target):
    text, check = target
    return Row(path, ours, reference, ratio, text, check(ratio))


# ---------------------------------------------------------------------------------------------------------------
# The benchmark, one method per measurement
# ---------------------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.procs = Processes()
        self.client = Client(work)
        self.sections = []
        self.blob_bytes = args.blob_mib * MiB
        self.reps = args.repetitions
        self.medians = {}  # a few figures later sections compare with

    def section(self, title):
        s = Section(title)
        self.sections.append(s)
        log(f"== {title}")
        return s

    # -- set-up --------------------------------------------------------------------------------------------------

    def prepare(self, jars):
        log(f"== preparing the upstream: a {self.args.blob_mib} MiB blob and a "
            f"{self.args.image_layers}×{self.args.image_layer_mib} MiB image")
        self.upstream = Registry(self, "upstream", access_log=True)
        blob_path = os.path.join(self.work, "blob")
        self.blob = random_file(blob_path, self.blob_bytes)
        self.upstream.push_blob("library/bench", blob_path, self.blob)
        os.remove(blob_path)
        config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
        config_path = os.path.join(self.work, "config")
        open(config_path, "wb").write(config)
        config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
        self.upstream.push_blob("library/bench", config_path, config_digest)
        self.manifest = json.dumps({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": self.blob,
                        "size": self.blob_bytes}]}).encode()
        self.manifest_digest = "sha256:" + hashlib.sha256(self.manifest).hexdigest()
        self.upstream.push_manifest("library/bench", "v1", self.manifest)
        self.image = push_image(self.upstream, self.work, "library/bench-image", "v1",
                                [self.args.image_layer_mib * MiB + i * 4096 for i in range(self.args.image_layers)])
        self.peer = Registry(self, "peer", remote=self.upstream.url)  # the long-lived reference (warm paths)
        self.product = Product(self, self.upstream.url, jars)

    def upstream_blob_gets(self):
        return self.upstream.count("GET", f"/v2/library/bench/blobs/{self.blob}")

    def timed(self, label, fn, reps=None):
        """fn() -> seconds, reps times; the median. Each repetition is printed."""
        times = [fn() for _ in range(reps or self.reps)]
        log(f"   {label}: " + ", ".join(f"{t:.3f}" for t in times) + f" s -> median {median(times):.3f} s")
        return median(times)

    def warm(self, label, url, headers=(), hit=None, extra=()):
        """A cached path: one hashed GET, then the timed ones (median); none of them may reach the upstream."""
        n = self.blob_bytes
        self.client.get(f"{label} (hash)", url, n, headers, digest=self.blob, hit=hit, extra=extra)
        before = self.upstream_blob_gets()
        seconds = self.timed(label, lambda: self.client.get(label, url, n, headers, hit=hit, extra=extra).seconds)
        if self.upstream_blob_gets() != before:
            fail(f"{label} fetched from the upstream: not a cached path")
        return seconds

    # -- 1. blob transfers, cold ---------------------------------------------------------------------------------

    def measure_cold(self, s):
        p, c, n = self.product, self.client, self.blob_bytes
        up = f"{self.upstream.url}/v2/library/bench/blobs/{self.blob}"
        c.get("upstream direct (hash)", up, n, digest=self.blob)
        direct = self.timed("upstream direct", lambda: c.get("upstream direct", up, n).seconds)

        def cold(group):
            before = self.upstream_blob_gets()
            a = c.get(f"accelerator cold ({group})", p.blob_url(group, self.blob), n, [p.bearer()], hit=False,
                      digest=self.blob if group == "cold0" else None)
            if self.upstream_blob_gets() - before < 1:
                fail(f"accelerator cold ({group}): no upstream GET, so the pull was not cold")
            p.await_hit(group, self.blob)
            return a.seconds

        cold("cold0")  # untimed: checks the bytes streamed on a cold pull (hash) and warms the JIT like the rest
        acc = self.timed("accelerator cold", lambda: cold(f"cold{self.cold_next()}"))

        def proxy_cold():
            peer = Registry(self, f"proxy-cold{self.cold_next()}", remote=self.upstream.url)
            try:
                before = self.upstream_blob_gets()
                a = c.get("distribution proxy cold", f"{peer.url}/v2/library/bench/blobs/{self.blob}", n,
                          digest=self.blob if self.hashing_first() else None)
                if self.upstream_blob_gets() - before < 1:
                    fail("distribution proxy cold: no upstream GET, so the pull was not cold")
                return a.seconds
            finally:
                peer.stop(remove=True)

        self.hashed_once = False
        proxy = self.timed("distribution proxy cold (fresh proxy each time)", proxy_cold)
        self.medians.update(direct=direct, cold=acc)
        s.add(targeted("cold pull (time)", self.rate(acc), "upstream direct " + self.rate(direct), acc / direct,
                       at_most(1.15)))
        s.add(Row("cold pull vs distribution proxy cold (time)", self.rate(acc), "distribution proxy cold " +
                  self.rate(proxy), acc / proxy))

    def cold_next(self):
        self._cold = getattr(self, "_cold", 0) + 1
        return self._cold

    def hashing_first(self):
        first = not self.hashed_once
        self.hashed_once = True
        return first

    def rate(self, seconds, nbytes=None):
        return f"{fmt_s(seconds)} ({mib_per_s(nbytes or self.blob_bytes, seconds):.0f} MiB/s)"

    # -- 2. blob transfers, warm from object storage ----------------------------------------------------------------

    def measure_object_storage_hit(self, s):
        p, c, n = self.product, self.client, self.blob_bytes
        from_objects = "cold1"  # stored by the cold pull of section 1, served with the hot tier off
        key = f"dependency_proxy/{p.group_id(from_objects)}/blobs/sha256/{self.blob.split(':', 1)[1]}"
        s3_url, s3_headers, s3_extra = p.s3_get_args(key)
        s3 = self.warm("S3 server direct", s3_url, s3_headers, extra=s3_extra)
        warm = self.warm("accelerator warm from object storage", p.blob_url(from_objects, self.blob), [p.bearer()],
                         hit=True)
        s.add(targeted("hit from object storage (throughput)", self.rate(warm), "S3 server direct " + self.rate(s3),
                       s3 / warm, at_least(0.9)))

    # -- 3. blob transfers, warm from the hot tier and distribution warm ------------------------------------------------

    def measure_hot_hit(self, s):
        p, c, n = self.product, self.client, self.blob_bytes
        peer_url = f"{self.peer.url}/v2/library/bench/blobs/{self.blob}"
        c.get("distribution proxy warm-up", peer_url, n)
        dist = self.warm("distribution proxy warm", peer_url)

        group = "hot"  # cold-pulled with the hot tier on, then read twice: fills the hot tier either way it fills
        p.create_group(group)
        c.get("accelerator cold (hot tier on)", p.blob_url(group, self.blob), n, [p.bearer()], hit=False)
        p.await_hit(group, self.blob)
        url = p.blob_url(group, self.blob)
        for _ in range(2):
            c.get("accelerator hot-tier fill", url, n, [p.bearer()], hit=True)
        deadline = time.monotonic() + 30
        while not p.hot_copies(n) and time.monotonic() < deadline:
            time.sleep(0.5)
        self.hot_active = bool(p.hot_copies(n))
        hot = self.warm("accelerator warm from the hot tier", url, [p.bearer()], hit=True)
        row = targeted("hit from the hot tier (throughput)", self.rate(hot), "distribution proxy warm " + self.rate(dist),
                       dist / hot, at_least(1.2))
        if not self.hot_active:
            row.path += " — NO HOT COPY ON DISK"
            row.met = False
            s.note("with DP_HOT_CACHE_DIR set, no file of the blob's size appeared there: the hot tier is not active "
                   "in this build, so the 'hot tier' figure is another hit from object storage")
        s.add(row)

    # -- 4. 16 concurrent cold pulls --------------------------------------------------------------------------------

    def measure_coalescing(self, s):
        p, c, n = self.product, self.client, self.blob_bytes
        walls, gets = [], []
        for i in range(1, self.reps + 1):
            group = f"coalesce{i}"
            p.create_group(group)
            before = self.upstream_blob_gets()
            walls.append(c.parallel_get(f"16 concurrent cold pulls ({group})", 16, p.blob_url(group, self.blob), n,
                                        [p.bearer()]))
            gets.append(self.upstream_blob_gets() - before)
            p.await_hit(group, self.blob)
        log(f"   16 concurrent cold: " + ", ".join(f"{t:.3f}" for t in walls) + f" s, upstream GETs {gets}")
        wall = median(walls)
        cold = self.medians["cold"]
        s.add(targeted("16 concurrent cold pulls (wall time)", fmt_s(wall), "one cold pull " + fmt_s(cold), wall / cold,
                       at_most(1.3)))
        s.add(Row("upstream GETs per 16 concurrent cold pulls", " ".join(map(str, gets)), "—", None, "= 1 (each)",
                  all(g == 1 for g in gets)))

    # -- 5. memory and CPU under concurrent streams -----------------------------------------------------------------

    def measure_streams(self, s, label, group):
        p, n, streams = self.product, self.blob_bytes, self.args.streams
        idle = rss_bytes(p.pid)
        cpu0 = cpu_seconds(p.pid)
        peak = [idle]
        done = threading.Event()

        def sample():
            while not done.wait(0.1):
                peak[0] = max(peak[0], rss_bytes(p.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            wall = self.client.parallel_get(f"{streams} streams ({label})", streams, p.blob_url(group, self.blob), n,
                                            [p.bearer()], hit=True)
        finally:
            done.set()
            sampler.join()
        cpu = cpu_seconds(p.pid) - cpu0
        total = streams * n
        log(f"   {streams} streams {label}: {wall:.2f} s, {total / MiB / wall:.0f} MiB/s in total, "
            f"RSS idle {idle / 1e6:.0f} MB peak {peak[0] / 1e6:.0f} MB, CPU {cpu:.1f} s")
        s.add(Row(f"peak RSS, {streams} streams from {label}", f"{peak[0] / 1e6:.0f} MB", f"idle {idle / 1e6:.0f} MB",
                  peak[0] / 300e6, "≤ 1 (300 MB at 64 × 256 MiB)", peak[0] <= 300e6))
        s.add(Row(f"CPU seconds, {streams} streams from {label}", f"{cpu:.1f} s ({cpu / (total / 2**30):.2f} s/GiB)",
                  f"wall {wall:.1f} s, {total / MiB / wall:.0f} MiB/s"))

    # -- 6. a full image with skopeo ----------------------------------------------------------------------------------

    def skopeo_pull(self, label, host_port, path, creds=None):
        out = tempfile.mkdtemp(dir=self.work, prefix="skopeo-")
        shutil.rmtree(out)
        argv = ["skopeo", "copy", "--quiet", "--src-tls-verify=false"]
        if creds:
            argv += ["--src-creds", creds]
        argv += [f"docker://{host_port}/{path}:{self.image.tag}", f"dir:{out}"]
        start = time.monotonic()
        r = run_tool(argv, max_seconds(sum(self.image.blobs.values())))
        seconds = time.monotonic() - start
        if r.returncode != 0:
            fail(f"{label}: skopeo copy failed: {r.stderr.strip()[-800:]}")
        hashes = {sha256_file(os.path.join(out, f)) for f in os.listdir(out) if f not in ("manifest.json", "version")}
        missing = set(self.image.blobs) - hashes
        if missing:
            fail(f"{label}: skopeo's copy lacks (or has corrupt) blobs {sorted(missing)}")
        shutil.rmtree(out)
        return seconds

    def measure_skopeo(self, s):
        p, img = self.product, self.image
        name = img.repo.split("/", 1)[1]
        acc_host = f"127.0.0.1:{p.port}"
        creds = f"root:{p.token}"
        image_gets = lambda: self.upstream.count("GET", f"/v2/{img.repo}/blobs/")

        def ours_cold():
            group = f"skopeo{self.cold_next()}"
            p.create_group(group)
            before = image_gets()
            t = self.skopeo_pull(f"skopeo cold through the project ({group})", acc_host, p.image_path(group, name), creds)
            if image_gets() - before < len(img.blobs):
                fail(f"skopeo cold through the project ({group}): fewer upstream GETs than blobs: not cold")
            self.skopeo_warm_group = group
            return t

        def dist_cold():
            peer = Registry(self, f"proxy-skopeo{self.cold_next()}", remote=self.upstream.url)
            try:
                return self.skopeo_pull("skopeo cold through distribution", f"127.0.0.1:{peer.port}", img.repo)
            finally:
                peer.stop(remove=True)

        ours_c = self.timed("skopeo cold through the project", ours_cold)
        dist_c = self.timed("skopeo cold through distribution proxy (fresh proxy each time)", dist_cold)
        group = self.skopeo_warm_group
        for digest in img.blobs:
            p.await_hit(group, digest, image=name)
        self.skopeo_pull("skopeo distribution warm-up", f"127.0.0.1:{self.peer.port}", img.repo)
        before = image_gets()
        ours_w = self.timed("skopeo warm through the project",
                            lambda: self.skopeo_pull("skopeo warm (project)", acc_host, p.image_path(group, name), creds))
        dist_w = self.timed("skopeo warm through distribution proxy",
                            lambda: self.skopeo_pull("skopeo warm (distribution)", f"127.0.0.1:{self.peer.port}",
                                                     img.repo))
        if image_gets() != before:
            fail("a warm skopeo pull fetched layers from the upstream")
        size = sum(img.blobs.values())
        s.add(Row(f"skopeo copy, cold ({len(img.blobs) - 1} layers, {size / MiB:.0f} MiB) (time)",
                  self.rate(ours_c, size), "distribution proxy cold " + self.rate(dist_c, size), ours_c / dist_c))
        s.add(Row("skopeo copy, warm (time)", self.rate(ours_w, size), "distribution proxy warm " + self.rate(dist_w, size),
                  ours_w / dist_w))

    # -- 7. request rates -----------------------------------------------------------------------------------------

    def measure_request_rates(self, s):
        p, c = self.product, self.client
        manifest_len = len(self.manifest)
        acc_manifests = lambda group, ref: f"{p.url}/v2/{p.image_path(group)}/manifests/{ref}"
        dist_manifests = lambda ref: f"{self.peer.url}/v2/library/bench/manifests/{ref}"
        tag_calls = lambda: (self.upstream.count("HEAD", "/v2/library/bench/manifests/v1")
                             + self.upstream.count("GET", "/v2/library/bench/manifests/v1"))
        auth = [p.bearer(), ACCEPT_MANIFESTS]
        for group in ("cold1", "tag0", "tag300"):  # first pulls cache the manifest; the second must be a hit
            ref = self.manifest_digest if group == "cold1" else "v1"
            c.get(f"manifest {group} (hash)", acc_manifests(group, ref), manifest_len, auth, digest=self.manifest_digest)
        c.get("distribution manifest (hash)", dist_manifests("v1"), manifest_len, [ACCEPT_MANIFESTS],
              digest=self.manifest_digest)
        jwt_url = (f"{p.url}/jwt/auth?service=dependency_proxy&scope=repository:"
                   f"{p.image_path('cold1')}:pull")
        _, body = http_ok("GET", jwt_url, headers={"Authorization": p.basic().split(": ", 1)[1]})
        if "token" not in json.loads(body):
            fail("/jwt/auth answered without a token")

        def pair(path, ours_url, ours_headers, ours_len, dist_url=None, dist_headers=(), target=None, head=False,
                 ours_hit=True, upstream_calls=None):
            if ours_len is not None:  # None: checked by the caller
                check = c.head if head else (lambda lbl, u, ln, h: c.get(lbl, u, ln, h, hit=ours_hit))
                check(f"{path} (project)", ours_url, ours_len, ours_headers)
            calls0 = upstream_calls() if upstream_calls else 0
            ours = load(self, ours_url, ours_headers, head)
            calls = (upstream_calls() - calls0) if upstream_calls else None
            ref_text, ratio = "n/a (no such endpoint)", None
            if dist_url:
                check_dist = c.head if head else (lambda lbl, u, ln, h: c.get(lbl, u, ln, h))
                check_dist(f"{path} (distribution)", dist_url, ours_len, list(dist_headers))
                dist = load(self, dist_url, list(dist_headers), head)
                ref_text, ratio = f"distribution proxy {dist}", ours.rps / dist.rps
            row = Row(path, str(ours), ref_text, ratio)
            if target and ratio is not None:
                row = targeted(path, str(ours), ref_text, ratio, target)
            s.add(row)
            return calls

        pair("manifest by digest, cached", acc_manifests("cold1", self.manifest_digest), auth, manifest_len,
             dist_manifests(self.manifest_digest), [ACCEPT_MANIFESTS], at_least(1.5))
        calls = pair("manifest by tag, revalidation due (manifest_revalidate_after=0)", acc_manifests("tag0", "v1"), auth,
                     manifest_len, dist_manifests("v1"), [ACCEPT_MANIFESTS], at_least(1.0), upstream_calls=tag_calls)
        s.note(f"upstream manifest requests during the project's revalidation-due run: {calls}")
        if calls == 0:
            fail("manifest by tag with manifest_revalidate_after=0 never asked the upstream: the setting did not apply")
        calls = pair("manifest by tag, within a 300 s window", acc_manifests("tag300", "v1"), auth, manifest_len,
                     dist_manifests("v1"), [ACCEPT_MANIFESTS], at_least(1.5), upstream_calls=tag_calls)
        s.note(f"upstream manifest requests during the project's 300 s-window run: {calls}")
        pair("/jwt/auth (Basic, one scope)", jwt_url, [p.basic()], None)  # a token of varying length: checked above
        pair("/v2/ with a bearer token", f"{p.url}/v2/", [p.bearer()], 2, f"{self.peer.url}/v2/", (), ours_hit=None)
        pair("blob HEAD, cached (ab)", p.blob_url("cold1", self.blob), [p.bearer()], self.blob_bytes,
             f"{self.peer.url}/v2/library/bench/blobs/{self.blob}", (), head=True)
        s.note("GET rates by wrk (2 threads, 16 connections, a Lua hook counts every non-200 answer); HEAD by ab "
               "(-k, 16 concurrent: wrk 4.1 waits for a body after HEAD); p50/p99 in ms (ab rounds to whole ms)")

    # -- the run ----------------------------------------------------------------------------------------------------

    def run(self, jars):
        self.prepare(jars)
        p = self.product
        log("== phase 1: the product with the hot tier off (hits from object storage)")
        p.start(hot=False)
        for g in ["cold0"] + [f"cold{i}" for i in range(1, self.reps + 1)] + ["tag0", "tag300"]:
            p.create_group(g, revalidate_after={"tag0": 0, "tag300": 300}.get(g))
        self._cold = 0
        transfers = self.section("Blob transfers (median of %d, %d MiB blob)" % (self.reps, self.args.blob_mib))
        self.measure_cold(transfers)
        self.measure_object_storage_hit(transfers)
        run = lambda name: name not in self.args.skip
        if run("coalescing"):
            self.measure_coalescing(self.section("16 concurrent cold pulls of one blob (median of %d)" % self.reps))
        if run("streams"):
            memory = self.section(f"Accelerator memory and CPU, {self.args.streams} concurrent streams of the cached "
                                  "blob")
            self.measure_streams(memory, "object storage", "cold1")
        if p.hot_copies(self.blob_bytes, os.path.join(p.data, "spool")):
            fail("with DP_HOT_CACHE_MAX_BYTES=0 a copy of the blob appeared under the spool directory: "
                 "the 'object storage' figures may have come from local disk")
        p.stop()
        log("== phase 2: the product with the hot tier on (same data)")
        p.start(hot=True)
        self.measure_hot_hit(transfers)
        if run("streams"):
            self.measure_streams(memory, "the hot tier" if self.hot_active else "the hot tier (inactive)", "hot")
        if run("skopeo"):
            self.measure_skopeo(self.section("A full image with skopeo (median of %d)" % self.reps))
        if run("rates"):
            self.measure_request_rates(self.section(f"Request rates ({self.args.wrk_seconds} s each, 16 connections)"))
        p.stop()


# ---------------------------------------------------------------------------------------------------------------
# /proc sampling and load generators
# ---------------------------------------------------------------------------------------------------------------

def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    fail(f"no VmRSS for pid {pid}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@dataclass
class Rate:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int

    def __str__(self):
        return f"{self.rps:,.0f} req/s (p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms)"


WRK_SCRIPT = """
%(headers)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; last = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1; last = status end
end
function done(summary, latency, requests)
  local b, l = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); if t:get("last") ~= 0 then l = t:get("last") end end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), b, l, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load(bench, url, headers, head=False):
    """req/s and latency for one URL; fails the run on any non-200 answer or socket error."""
    return ab_head(bench, url, headers) if head else wrk(bench, url, headers)


def wrk(bench, url, headers):
    lua_headers = "\n".join(f'wrk.headers["{h.split(": ", 1)[0]}"] = "{h.split(": ", 1)[1]}"' for h in headers)
    script = os.path.join(bench.work, "wrk.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % {"headers": lua_headers})
    r = run_tool(["wrk", "-t2", "-c16", f"-d{bench.args.wrk_seconds}s", "--timeout", "10s", "-s", script, url],
                 bench.args.wrk_seconds + 60)
    m = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        fail(f"wrk {url} failed: {r.stdout[-500:]} {r.stderr[-500:]}")
    requests, duration_us, p50, p99, bad, last, errors = map(int, m.groups())
    if bad or errors or requests == 0:
        fail(f"wrk {url}: {bad} non-200 answers (last {last}), {errors} socket errors, {requests} requests")
    rate = Rate(requests / (duration_us / 1e6), p50 / 1000, p99 / 1000, requests)
    log(f"   wrk {url}: {rate}")
    return rate


def ab_head(bench, url, headers):
    argv = ["ab", "-q", "-i", "-k", "-c16", "-t", str(bench.args.wrk_seconds), "-n", "100000000"]
    for h in headers:
        argv += ["-H", h]
    r = run_tool(argv + [url], bench.args.wrk_seconds + 60)
    out = r.stdout
    grab = lambda pattern: re.search(pattern, out, re.M)
    complete, failed, rps = grab(r"^Complete requests:\s+(\d+)"), grab(r"^Failed requests:\s+(\d+)"), \
        grab(r"^Requests per second:\s+([\d.]+)")
    if r.returncode != 0 or not (complete and failed and rps):
        fail(f"ab {url} failed: {out[-500:]} {r.stderr[-500:]}")
    non2xx = grab(r"^Non-2xx responses:\s+(\d+)")
    if int(failed.group(1)) or non2xx or int(complete.group(1)) == 0:
        fail(f"ab {url}: {failed.group(1)} failed, {non2xx.group(1) if non2xx else 0} non-2xx answers")
    pct = lambda p: float(grab(rf"^\s+{p}%\s+(\d+)").group(1))
    rate = Rate(float(rps.group(1)), pct(50), pct(99), int(complete.group(1)))
    log(f"   ab HEAD {url}: {rate}")
    return rate


# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------

def machine():
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal:")).split()[1]
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    git = lambda *a: subprocess.run(["git", *a], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    dirty = " (+ uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return {"cores (nproc)": str(os.cpu_count()), "CPU": model, "memory": f"{int(mem) / 1024 / 1024:.1f} GiB",
            "kernel": platform.release(), "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "git commit": git("rev-parse", "--short", "HEAD") + dirty}


def official(args):
    return ((args.blob_mib, args.streams, args.wrk_seconds) == (256, 64, 10) and args.repetitions >= 5
            and not args.skip)


def report(bench, args, failed=None):
    lines = []
    if not official(args):
        lines += ["> **Quick / custom run — not the benchmark of record.** Parameters differ from the defaults "
                  "(256 MiB blob, 64 streams, 5 repetitions, 10 s wrk); figures only show that every path works.", ""]
    lines += ["# Benchmark results", "",
              "`make bench` (`deploy/bench/bench.py`): everything side by side in one run on loopback. "
              "Each figure is a median; every request's status and byte count were checked and each path's body "
              "hashed once.", ""]
    info = machine()
    info.update({"blob size": f"{args.blob_mib} MiB", "repetitions": str(args.repetitions),
                 "concurrent streams": str(args.streams), "wrk duration": f"{args.wrk_seconds} s",
                 "image": f"{args.image_layers} layers × {args.image_layer_mib} MiB"})
    info["builds"] = getattr(args, "builds", "?")
    if args.skip:
        info["sections left out"] = ", ".join(sorted(args.skip))
    lines += [f"- {k}: {v}" for k, v in info.items()] + [""]
    if failed:
        lines += [f"**The run FAILED:** {failed}", ""]
    for s in bench.sections:
        lines += [f"## {s.title}", "", "| path | this project | reference | ratio | target | met |",
                  "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(r.cells()) + " |" for r in s.rows]
        lines += [""] + [f"- {n}" for n in s.notes] + ([""] if s.notes else [])
    text = "\n".join(lines)
    out = args.output or os.path.join(BENCH_DIR, "RESULTS.md" if official(args) else "RESULTS-quick.md")
    with open(out, "w") as f:
        f.write(text + "\n")
    print("\n" + text + f"\n(written to {os.path.relpath(out, REPO_ROOT)})", flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------

OPTIONAL_SECTIONS = ("coalescing", "streams", "skopeo", "rates")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blob-mib", type=int, default=256, help="size of the measured blob (default 256)")
    ap.add_argument("--streams", type=int, default=64, help="concurrent streams for RSS/CPU (default 64)")
    ap.add_argument("--repetitions", type=int, default=5, help="repetitions per measurement, median (default 5)")
    ap.add_argument("--wrk-seconds", type=int, default=10, help="duration of each request-rate run (default 10)")
    ap.add_argument("--image-layers", type=int, default=5, help="layers of the skopeo image (default 5)")
    ap.add_argument("--image-layer-mib", type=int, default=32, help="size of each of its layers (default 32)")
    ap.add_argument("--quick", action="store_true",
                    help="try it out: 32 MiB blob, 8 streams, 3 repetitions, 3 s wrk, 5×8 MiB image")
    ap.add_argument("--output", help="the Markdown file (default deploy/bench/RESULTS.md, or RESULTS-quick.md "
                                     "when the parameters are not the defaults)")
    ap.add_argument("--control-plane-jar", default=os.environ.get("DP_BENCH_CONTROL_PLANE_JAR"),
                    help="control plane build (default control-plane/target/quarkus-app/quarkus-run.jar)")
    ap.add_argument("--accelerator-jar", default=os.environ.get("DP_BENCH_ACCELERATOR_JAR"),
                    help="accelerator build (default accelerator/target/accelerator.jar)")
    ap.add_argument("--runner-jar", default=os.environ.get("DP_BENCH_RUNNER_JAR"),
                    help="local runner build (default deploy/local-runner/target/local-runner.jar)")
    ap.add_argument("--skip", default="", help="comma-separated sections to leave out (the run is then not the "
                                                "benchmark of record): " + ", ".join(OPTIONAL_SECTIONS))
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory (logs) after the run")
    args = ap.parse_args(argv)
    if args.quick:
        args.blob_mib, args.streams, args.repetitions, args.wrk_seconds = 32, 8, 3, 3
        args.image_layer_mib = 8
    if args.repetitions < 1 or args.blob_mib < 1 or args.streams < 1:
        ap.error("sizes and counts must be positive")
    args.skip = {x for x in args.skip.split(",") if x}
    if args.skip - set(OPTIONAL_SECTIONS):
        ap.error(f"--skip takes {', '.join(OPTIONAL_SECTIONS)}")
    return args


def check_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pkgs = " ".join(sorted({TOOLS[t] for t in missing}))
        sys.exit(f"bench: missing {', '.join(missing)}: apt-get install {pkgs}")


def snapshot_jars(args, work):
    """Copies the builds into the scratch directory: a rebuild during the run cannot change what is measured."""
    runner = args.runner_jar or os.path.join(REPO_ROOT, "deploy/local-runner/target/local-runner.jar")
    cp = args.control_plane_jar or os.path.join(REPO_ROOT, "control-plane/target/quarkus-app/quarkus-run.jar")
    acc = args.accelerator_jar or os.path.join(REPO_ROOT, "accelerator/target/accelerator.jar")
    if not all(os.path.exists(p) for p in (runner, cp, acc)):
        log("== building (./mvnw -DskipTests install)")
        subprocess.run(["./mvnw", "-B", "-ntp", "-q", "-DskipTests", "install"], cwd=REPO_ROOT, check=True)
    jars = os.path.join(work, "jars")
    os.makedirs(jars)
    shutil.copy(runner, os.path.join(jars, "local-runner.jar"))
    shutil.copy(acc, os.path.join(jars, "accelerator.jar"))
    shutil.copytree(os.path.dirname(os.path.abspath(cp)), os.path.join(jars, "control-plane"))
    given = [name for name, opt in (("runner", args.runner_jar), ("accelerator", args.accelerator_jar),
                                    ("control plane", args.control_plane_jar)) if opt]
    built = lambda path: datetime.datetime.fromtimestamp(os.path.getmtime(path)).strftime("%Y-%m-%d %H:%M")
    args.builds = (f"accelerator.jar {sha256_file(acc)[7:19]} built {built(acc)}, control plane built {built(cp)}"
                   + (f"; given by option: {', '.join(given)} (not necessarily this commit)" if given else
                      "; from this checkout's target/"))
    return {"runner": os.path.join(jars, "local-runner.jar"), "accelerator": os.path.join(jars, "accelerator.jar"),
            "control-plane": os.path.join(jars, "control-plane", os.path.basename(cp))}


def keep_logs_only(work):
    """After a failure: the logs stay for a look, the data (blobs, databases) goes."""
    for root, dirs, files in os.walk(work, topdown=False):
        for f in files:
            if not (f == "log" or f.endswith(".log")):
                os.remove(os.path.join(root, f))
        for d in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(root, d))


def main(argv):
    args = parse_args(argv)
    check_tools()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    work = tempfile.mkdtemp(prefix="dp-bench.")
    bench = Bench(args, work)
    code = 0
    try:
        bench.run(snapshot_jars(args, work))
        report(bench, args)
    except BenchFailure as e:
        print(f"\nbench: FAILED: {e}", file=sys.stderr, flush=True)
        report(bench, args, failed=str(e))
        code = 1
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        code = 130
    finally:
        bench.procs.stop_all()
        if args.keep:
            print(f"bench: scratch directory kept: {work}", file=sys.stderr)
        elif code == 1:
            keep_logs_only(work)
            print(f"bench: logs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

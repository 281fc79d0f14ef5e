"""The product: the builds it runs (copied aside first) and the local runner (PostgreSQL, S3 server, control
plane, accelerator) with the admin API, registry tokens and the evidence of what it stored."""
import base64
import datetime
import json
import os
import shutil
import subprocess
import time
import urllib.parse

from .checks import curl_argv, parse_answer
from .common import REPO_ROOT, fail, log, sha256_file
from .net import free_port, http_ok, listener_pid


class Product:
    """The local runner on one DP_DATA_DIR; start(hot) and stop() may alternate (the data survives). A name gives
    another instance its own data (the link section's, with another upstream)."""

    def __init__(self, bench, upstream_url, jars, name=None):
        self.bench = bench
        self.jars = jars
        self.name = name
        suffix = f"-{name}" if name else ""
        self.data = os.path.join(bench.work, "data" + suffix)
        self.hot_dir = os.path.join(bench.work, "hot" + suffix)
        self.port = free_port()
        self.cp_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = "dpat-bench-" + base64.b32encode(os.urandom(10)).decode().lower()
        self.upstream_url = upstream_url
        self.process = None
        self.pid = None
        self.hot = None
        self._jwt = (None, 0.0)

    def start(self, hot, extra_env=None):
        """extra_env: more DP_* settings for both services (the local runner passes them through)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DP_") or k.endswith("_JAVA_OPTS")}
        env.update(DP_DATA_DIR=self.data, DP_HTTP_PORT=str(self.port), DP_CONTROL_PLANE_PORT=str(self.cp_port),
                   DP_EXTERNAL_URL=self.url, DP_ADMIN_TOKEN=self.token, DP_UPSTREAM_URL=self.upstream_url,
                   DP_UPSTREAM_SINGLE_NAME_PREFIX="library", DP_LOG_FORMAT="text",
                   QUARKUS_HTTP_HOST="127.0.0.1")  # the control plane on loopback too
        if hot:
            env["DP_HOT_CACHE_DIR"] = self.hot_dir
        else:
            env["DP_HOT_CACHE_MAX_BYTES"] = "0"
        env.update(extra_env or {})
        self.hot = hot
        log_path = self.log_path = os.path.join(self.bench.work, f"runner-{self.name + '-' if self.name else ''}"
                                                                 f"{'hot' if hot else 'nohot'}.log")
        self.log_offset = 0
        self.other_logs, self.duplicates_allowed, self.duplicates = [], False, 0
        self.process = self.bench.procs.start(
            ["java", "-jar", self.jars["runner"], "--control-plane-jar", self.jars["control-plane"],
             "--accelerator-jar", self.jars["accelerator"]], log_path, env=env)
        deadline = time.monotonic() + 300
        while "Admin token:" not in open(log_path, errors="replace").read():
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = open(log_path, errors="replace").read()[-3000:]
                fail(f"the local runner did not come up (exit {self.process.poll()}):\n{tail}")
            time.sleep(0.5)
        self.pid = listener_pid(self.port)
        self._jwt = (None, 0.0)
        log(f"   product up (hot tier {'on, ' + self.hot_dir if hot else 'off: DP_HOT_CACHE_MAX_BYTES=0'}), "
            f"accelerator pid {self.pid}")

    def stop(self):
        if self.process:
            self.bench.procs.stop(self.process)
            self.process = None

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

    def watch_log(self, path):
        """Another process whose store failures count (a second accelerator on this control plane)."""
        self.other_logs.append([path, 0])

    def new_store_failures(self):
        """Lines the services logged since the last call that say a download was not stored. With
        duplicates_allowed, a replica's second download of a blob another replica stores (its upload refused with
        409) is counted in self.duplicates instead: that is how replicas that do not share downloads end."""
        lines = []
        for log in [[self.log_path, self.log_offset]] + self.other_logs:
            with open(log[0], errors="replace") as f:
                f.seek(log[1])
                lines += [line[:600] for line in f.read().splitlines() if "not stored" in line]
                log[1] = f.tell()
            if log[0] == self.log_path:
                self.log_offset = log[1]
        duplicates = [line for line in lines if self.duplicates_allowed and "status=409" in line]
        self.duplicates += len(duplicates)
        return [line for line in lines if line not in duplicates]

    def await_hit(self, group, digest, image="bench", timeout=120):
        """The blob is stored after a cold pull, asynchronously: HEAD until the accelerator answers a hit."""
        self.await_cached(self.blob_url(group, digest, image), [self.bearer()], f"the blob {digest} of group {group}",
                          timeout)

    def await_cached(self, url, headers, what, timeout=120):
        """What a cold pull fetched is stored just after it (the accelerator defers the store while downloads
        arrive): HEAD until the accelerator answers a hit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            failures = self.new_store_failures()
            if failures:
                fail(f"{what} was not stored: " + "\n".join(failures))
            r = subprocess.run(curl_argv(url, headers, method="HEAD"), capture_output=True, text=True)
            if parse_answer(r.stdout).cache == "hit":
                return
            time.sleep(0.2)
        fail(f"{what} was never stored")

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

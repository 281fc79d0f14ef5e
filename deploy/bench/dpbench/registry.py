"""CNCF distribution (`docker-registry`): the upstream and the reference proxies, and what is pushed to the
upstream (the measured blob with its one-layer manifest, the multi-layer image skopeo pulls)."""
import hashlib
import json
import os
import shutil
import time
import urllib.parse
from dataclasses import dataclass

from .common import random_file
from .net import free_port, http_ok, wait_port

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


class Registry:
    """docker-registry on a free port; proxy mode when remote is set. Access log kept only where it is counted.
    With a link (netns.Link) it runs inside the link's namespace, on the far address of the link."""

    def __init__(self, bench, name, remote=None, access_log=False, link=None):
        self.dir = os.path.join(bench.work, name)
        os.makedirs(os.path.join(self.dir, "storage"), exist_ok=True)
        self.host = link.upstream_address if link else "127.0.0.1"
        self.port = 5000 if link else free_port()  # the namespace has ports of its own
        self.url = f"http://{self.host}:{self.port}"
        self.log_path = os.path.join(self.dir, "log")
        config = [
            "version: 0.1",
            f"log: {{level: error, accesslog: {{disabled: {'false' if access_log else 'true'}}}}}",
            f"storage: {{filesystem: {{rootdirectory: {self.dir}/storage}}, delete: {{enabled: true}}}}",
            f"http: {{addr: {self.host}:{self.port}, secret: bench}}"]
        if remote:
            config.append(f"proxy: {{remoteurl: {remote}}}")
        with open(os.path.join(self.dir, "config.yml"), "w") as f:
            f.write("\n".join(config) + "\n")
        self.bench = bench
        argv = ["docker-registry", "serve", os.path.join(self.dir, "config.yml")]
        self.process = bench.procs.start(link.in_namespace(argv) if link else argv, self.log_path)
        wait_port(self.port, process=self.process, host=self.host)

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


def push_config_and_manifest(upstream, repo, tag, config, config_path, layers):
    """Pushes the config (its bytes written to config_path first), then a manifest naming it and the layers
    (pushed already); returns the manifest's bytes and digest."""
    with open(config_path, "wb") as f:
        f.write(config)
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    upstream.push_blob(repo, config_path, config_digest)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": config_digest, "size": len(config)},
                           "layers": layers}).encode()
    upstream.push_manifest(repo, tag, manifest)
    return manifest, "sha256:" + hashlib.sha256(manifest).hexdigest()


def push_blob_image(upstream, work, repo, tag, nbytes):
    """The measured blob (random, nbytes) and a one-layer manifest naming it: (blob digest, manifest, its digest)."""
    blob_path = os.path.join(work, "blob")
    blob = random_file(blob_path, nbytes)
    upstream.push_blob(repo, blob_path, blob)
    os.remove(blob_path)
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    manifest, manifest_digest = push_config_and_manifest(
        upstream, repo, tag, config, os.path.join(work, "config"),
        [{"mediaType": OCI_LAYER, "digest": blob, "size": nbytes}])
    return blob, manifest, manifest_digest


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
        layers.append({"mediaType": OCI_LAYER, "digest": digest, "size": size})
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]},
                         "history": [{"created": "2026-01-01T00:00:00Z"} for _ in layers]}).encode()
    config_path = os.path.join(work, "config.json")
    manifest, manifest_digest = push_config_and_manifest(upstream, repo, tag, config, config_path, layers)
    blobs["sha256:" + hashlib.sha256(config).hexdigest()] = len(config)
    return Image(repo, tag, manifest, manifest_digest, blobs)

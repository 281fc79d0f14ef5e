"""A full image pulled with skopeo, cold and warm, through the project and through distribution; every blob of
skopeo's copy is hashed."""
import os
import shutil
import tempfile
import time

from ..checks import max_seconds
from ..common import MiB, fail, sha256_file
from ..processes import run_tool
from ..registry import Registry
from ..report import Row


def pull(bench, label, host_port, path, creds=None, image=None):
    """skopeo copy of the image (bench.image unless given) into a fresh directory: seconds; fails unless every blob
    arrived intact."""
    image = image or bench.image
    out = tempfile.mkdtemp(dir=bench.work, prefix="skopeo-")
    shutil.rmtree(out)
    argv = ["skopeo", "copy", "--quiet", "--src-tls-verify=false"]
    if creds:
        argv += ["--src-creds", creds]
    argv += [f"docker://{host_port}/{path}:{image.tag}", f"dir:{out}"]
    start = time.monotonic()
    r = run_tool(argv, max_seconds(sum(image.blobs.values())))
    seconds = time.monotonic() - start
    if r.returncode != 0:
        fail(f"{label}: skopeo copy failed: {r.stderr.strip()[-800:]}")
    hashes = {sha256_file(os.path.join(out, f)) for f in os.listdir(out) if f not in ("manifest.json", "version")}
    missing = set(image.blobs) - hashes
    if missing:
        fail(f"{label}: skopeo's copy lacks (or has corrupt) blobs {sorted(missing)}")
    shutil.rmtree(out)
    return seconds


def measure(bench, s):
    p, img = bench.product, bench.image
    name = img.repo.split("/", 1)[1]
    acc_host = f"127.0.0.1:{p.port}"
    creds = f"root:{p.token}"
    image_gets = lambda: bench.upstream.count("GET", f"/v2/{img.repo}/blobs/")

    def ours_cold():
        group = f"skopeo{bench.cold_next()}"
        p.create_group(group)
        before = image_gets()
        t = pull(bench, f"skopeo cold through the project ({group})", acc_host, p.image_path(group, name), creds)
        if image_gets() - before < len(img.blobs):
            fail(f"skopeo cold through the project ({group}): fewer upstream GETs than blobs: not cold")
        for digest in img.blobs:  # untimed: the next repetition starts on a quiet service (stores follow the pull)
            p.await_hit(group, digest, image=name)
        bench.skopeo_warm_group = group
        return t

    def dist_cold():
        peer = Registry(bench, f"proxy-skopeo{bench.cold_next()}", remote=bench.upstream.url)
        try:
            return pull(bench, "skopeo cold through distribution", f"127.0.0.1:{peer.port}", img.repo)
        finally:
            peer.stop(remove=True)

    ours_c = bench.timed("skopeo cold through the project", ours_cold)
    dist_c = bench.timed("skopeo cold through distribution proxy (fresh proxy each time)", dist_cold)
    group = bench.skopeo_warm_group
    for digest in img.blobs:
        p.await_hit(group, digest, image=name)
    pull(bench, "skopeo distribution warm-up", f"127.0.0.1:{bench.peer.port}", img.repo)
    before = image_gets()
    ours_w = bench.timed("skopeo warm through the project",
                         lambda: pull(bench, "skopeo warm (project)", acc_host, p.image_path(group, name), creds))
    dist_w = bench.timed("skopeo warm through distribution proxy",
                         lambda: pull(bench, "skopeo warm (distribution)", f"127.0.0.1:{bench.peer.port}",
                                      img.repo))
    if image_gets() != before:
        fail("a warm skopeo pull fetched layers from the upstream")
    size = sum(img.blobs.values())
    s.add(Row(f"skopeo copy, cold ({len(img.blobs) - 1} layers, {size / MiB:.0f} MiB) (time)",
              bench.rate(ours_c, size), "distribution proxy cold " + bench.rate(dist_c, size), ours_c / dist_c))
    s.add(Row("skopeo copy, warm (time)", bench.rate(ours_w, size),
              "distribution proxy warm " + bench.rate(dist_w, size), ours_w / dist_w))

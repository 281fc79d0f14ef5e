"""Request rates: manifests by digest and by tag (revalidation due, within a window), /jwt/auth, /v2/ and blob
HEAD, each against distribution where it has the endpoint; the load generators are in loadgen."""
import json

from ..common import fail
from ..loadgen import load
from ..net import http_ok
from ..registry import OCI_MANIFEST
from ..report import Row, at_least, targeted

ACCEPT_MANIFESTS = "Accept: " + ", ".join([
    OCI_MANIFEST, "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json"])


def measure(bench, s):
    p, c = bench.product, bench.client
    manifest_len = len(bench.manifest)
    acc_manifests = lambda group, ref: f"{p.url}/v2/{p.image_path(group)}/manifests/{ref}"
    dist_manifests = lambda ref: f"{bench.peer.url}/v2/library/bench/manifests/{ref}"
    tag_calls = lambda: (bench.upstream.count("HEAD", "/v2/library/bench/manifests/v1")
                         + bench.upstream.count("GET", "/v2/library/bench/manifests/v1"))
    auth = [p.bearer(), ACCEPT_MANIFESTS]
    for group in ("cold1", "tag0", "tag300"):  # first pulls cache the manifest; the second must be a hit
        ref = bench.manifest_digest if group == "cold1" else "v1"
        c.get(f"manifest {group} (hash)", acc_manifests(group, ref), manifest_len, auth, digest=bench.manifest_digest)
        p.await_cached(acc_manifests(group, ref), auth, f"the manifest {ref} of group {group}")
    c.get("distribution manifest (hash)", dist_manifests("v1"), manifest_len, [ACCEPT_MANIFESTS],
          digest=bench.manifest_digest)
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
        ours = load(bench, ours_url, ours_headers, head)
        calls = (upstream_calls() - calls0) if upstream_calls else None
        ref_text, ratio = "n/a (no such endpoint)", None
        if dist_url:
            check_dist = c.head if head else (lambda lbl, u, ln, h: c.get(lbl, u, ln, h))
            check_dist(f"{path} (distribution)", dist_url, ours_len, list(dist_headers))
            dist = load(bench, dist_url, list(dist_headers), head)
            ref_text, ratio = f"distribution proxy {dist}", ours.rps / dist.rps
        row = Row(path, str(ours), ref_text, ratio)
        if target and ratio is not None:
            row = targeted(path, str(ours), ref_text, ratio, target)
        s.add(row)
        return calls

    pair("manifest by digest, cached", acc_manifests("cold1", bench.manifest_digest), auth, manifest_len,
         dist_manifests(bench.manifest_digest), [ACCEPT_MANIFESTS], at_least(1.5))
    calls = pair("manifest by tag, revalidation due (manifest_revalidate_after=0)", acc_manifests("tag0", "v1"), auth,
                 manifest_len, dist_manifests("v1"), [ACCEPT_MANIFESTS], at_least(1.0), upstream_calls=tag_calls)
    s.note(f"upstream manifest requests during the project's revalidation-due run: {calls}")
    if calls == 0:
        fail("manifest by tag with manifest_revalidate_after=0 never asked the upstream: the setting did not apply")
    calls = pair("manifest by tag, within a 300 s window", acc_manifests("tag300", "v1"), auth, manifest_len,
                 dist_manifests("v1"), [ACCEPT_MANIFESTS], at_least(1.5), upstream_calls=tag_calls)
    s.note(f"upstream manifest requests during the project's 300 s-window run: {calls}")
    pair("/jwt/auth (Basic, one scope)", jwt_url, [p.basic()], None)  # a token of varying length: checked above
    pair("/v2/ with a bearer token", f"{p.url}/v2/", [p.bearer()], 2, f"{bench.peer.url}/v2/", (), ours_hit=None)
    pair("blob HEAD, cached (ab)", p.blob_url("cold1", bench.blob), [p.bearer()], bench.blob_bytes,
         f"{bench.peer.url}/v2/library/bench/blobs/{bench.blob}", (), head=True)
    s.note("GET rates by wrk (2 threads, 16 connections, a Lua hook counts every non-200 answer); HEAD by ab "
           "(-k, 16 concurrent: wrk 4.1 waits for a body after HEAD); p50/p99 in ms (ab rounds to whole ms)")

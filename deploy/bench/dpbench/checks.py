"""Checked transfers through curl: every answer's status and byte count, a cache hit where one is claimed, the
body's hash on demand; a transfer too slow to be alive fails instead of hanging."""
import os
import subprocess
import time
from dataclasses import dataclass

from .common import MiB, fail, sha256_file


@dataclass
class Answer:
    status: int
    size: int
    seconds: float
    cache: str
    length: str
    first_byte: float = 0.0  # seconds to the first byte of the answer (curl's time_starttransfer)


CURL_FORMAT = ("%{http_code}|%{size_download}|%{time_total}|%header{x-dependency-proxy-cache}|%header{content-length}"
               "|%{time_starttransfer}")


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
    if len(parts) != 6 or not parts[0].isdigit():
        return Answer(0, 0, 0.0, "", "")
    return Answer(int(parts[0]), int(parts[1]), float(parts[2]), parts[3].strip().lower(), parts[4].strip(),
                  float(parts[5]))


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
        return self.parallel_get_urls(label, [url] * n, expected_bytes, headers, hit)

    def parallel_get_urls(self, label, urls, expected_bytes, headers=(), hit=None):
        """One GET of each URL, all at once (several replicas, say); wall seconds; checked as parallel_get."""
        n = len(urls)
        start = time.monotonic()
        argvs = [curl_argv(url, headers, timeout=max_seconds(n * expected_bytes)) for url in urls]
        procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for argv in argvs]
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

"""What every module shares: units, the repository's paths, failing a run, logging, hashing, medians."""
import hashlib
import os
import statistics

MiB = 1024 * 1024
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BENCH_DIR = os.path.join(REPO_ROOT, "deploy", "bench")


class BenchFailure(Exception):
    """A check failed: the run stops and exits non-zero."""


def fail(message):
    raise BenchFailure(message)


def log(message):
    print(message, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 * MiB):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


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


def median(values):
    return statistics.median(values)


def fmt_s(seconds):
    return f"{seconds:.3f} s"


def mib_per_s(nbytes, seconds):
    return nbytes / MiB / seconds

"""Accelerator memory and CPU under concurrent streams of the cached blob (--skip streams): peak RSS sampled from
/proc while they run, CPU seconds per GiB served."""
import threading

from ..common import MiB, log
from ..cpu import cpu_seconds
from ..processes import proc_status
from ..report import Row


def rss_bytes(pid):
    return proc_status(pid, "VmRSS")


def measure(bench, s, label, group):
    p, n, streams = bench.product, bench.blob_bytes, bench.args.streams
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
        wall = bench.client.parallel_get(f"{streams} streams ({label})", streams, p.blob_url(group, bench.blob), n,
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

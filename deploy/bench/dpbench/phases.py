"""The run: its shared state (scratch directory, processes, client, sections), the set-up of the upstream, the
two phases of the product on loopback (hot tier off, then on, same data) calling the sections in order, the third
over a rate-limited link (sections/link, its own upstream and product), and the helpers
the sections share (repetitions and medians, checked warm paths, upstream GET counts, rates)."""
import os

from .checks import Client
from .common import MiB, fail, fmt_s, log, median, mib_per_s
from .net import listener_pid
from .product import Product
from .registry import Registry, push_blob_image, push_image
from .report import Section
from .sections import blobs, coalescing, link, rates, skopeo, streams


class Bench:
    def __init__(self, args, work, procs):
        self.args = args
        self.work = work
        self.procs = procs
        self.client = Client(work)
        self.sections = []
        self.blob_bytes = args.blob_mib * MiB
        self.reps = args.repetitions
        self.medians = {}  # a few figures later sections compare with
        self.cpu = {}  # CPU seconds of one transfer per path (cpu.Transfer), by name

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
        self.blob, self.manifest, self.manifest_digest = push_blob_image(self.upstream, self.work, "library/bench",
                                                                         "v1", self.blob_bytes)
        self.image = push_image(self.upstream, self.work, "library/bench-image", "v1",
                                [self.args.image_layer_mib * MiB + i * 4096 for i in range(self.args.image_layers)])
        self.peer = Registry(self, "peer", remote=self.upstream.url)  # the long-lived reference (warm paths)
        self.product = Product(self, self.upstream.url, jars)

    # -- helpers of the sections ---------------------------------------------------------------------------------

    def path_pids(self):
        """The processes a pull through the product can involve, by name."""
        p = self.product
        s3_port = int(open(os.path.join(p.data, "s3.port")).read().strip())
        return {"accelerator": p.pid, "control plane": listener_pid(p.cp_port), "upstream": listener_pid(self.upstream.port),
                "S3 server": listener_pid(s3_port)}

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

    def cold_next(self):
        self._cold = getattr(self, "_cold", 0) + 1
        return self._cold

    def hashing_first(self):
        first = not self.hashed_once
        self.hashed_once = True
        return first

    def rate(self, seconds, nbytes=None):
        return f"{fmt_s(seconds)} ({mib_per_s(nbytes or self.blob_bytes, seconds):.0f} MiB/s)"

    # -- the run ----------------------------------------------------------------------------------------------------

    def run(self, jars):
        if self.args.only != "link":
            self.on_loopback(jars)
        if "link" not in self.args.skip:
            log("== phase 3: over a 1 Gbit/s link (the upstream in a network namespace)")
            link.measure(self, jars)

    def on_loopback(self, jars):
        self.prepare(jars)
        p = self.product
        log("== phase 1: the product with the hot tier off (hits from object storage)")
        p.start(hot=False)
        for g in ["cold0"] + [f"cold{i}" for i in range(1, self.reps + 1)] + ["coldcpu", "coldstore", "tag0", "tag300"]:
            p.create_group(g, revalidate_after={"tag0": 0, "tag300": 300}.get(g))
        self._cold = 0
        transfers = self.section("Blob transfers (median of %d, %d MiB blob)" % (self.reps, self.args.blob_mib))
        blobs.measure_cold(self, transfers)
        blobs.measure_object_storage_hit(self, transfers)
        blobs.cpu_floors(self, self.section("Where the CPU goes: one transfer of each path, %d MiB" % self.args.blob_mib))
        run = lambda name: name not in self.args.skip
        if run("coalescing"):
            coalescing.measure(self, self.section("16 concurrent cold pulls of one blob (median of %d)" % self.reps))
        if run("streams"):
            memory = self.section(f"Accelerator memory and CPU, {self.args.streams} concurrent streams of the cached "
                                  "blob")
            streams.measure(self, memory, "object storage", "cold1")
        if p.hot_copies(self.blob_bytes, os.path.join(p.data, "spool")):
            fail("with DP_HOT_CACHE_MAX_BYTES=0 a copy of the blob appeared under the spool directory: "
                 "the 'object storage' figures may have come from local disk")
        p.stop()
        log("== phase 2: the product with the hot tier on (same data)")
        p.start(hot=True)
        blobs.measure_hot_hit(self, transfers)
        if run("streams"):
            streams.measure(self, memory, "the hot tier" if self.hot_active else "the hot tier (inactive)", "hot")
        if run("skopeo"):
            skopeo.measure(self, self.section("A full image with skopeo (median of %d)" % self.reps))
        if run("rates"):
            rates.measure(self, self.section(f"Request rates ({self.args.wrk_seconds} s each, 16 connections)"))
        p.stop()


"""The entry point: options, the tools check, the run and its report, exit codes and the scratch directory."""
import argparse
import os
import time

from . import __doc__ as DESCRIPTION
from .machine import check_tools
from .phases import Bench
from .processes import run_in_scratch
from .product import snapshot_jars
from .report import report

OPTIONAL_SECTIONS = ("coalescing", "streams", "skopeo", "rates", "link")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=DESCRIPTION.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blob-mib", type=int, default=256, help="size of the measured blob (default 256)")
    ap.add_argument("--streams", type=int, default=64, help="concurrent streams for RSS/CPU (default 64)")
    ap.add_argument("--repetitions", type=int, default=5, help="repetitions per measurement, median (default 5)")
    ap.add_argument("--wrk-seconds", type=int, default=10, help="duration of each request-rate run (default 10)")
    ap.add_argument("--image-layers", type=int, default=5, help="layers of the skopeo image (default 5)")
    ap.add_argument("--image-layer-mib", type=int, default=32, help="size of each of its layers (default 32)")
    ap.add_argument("--quick", action="store_true",
                    help="try it out: 32 MiB blob (over the link too), 8 streams, 3 repetitions, 3 s wrk, "
                         "5×8 MiB image")
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
    ap.add_argument("--only", choices=["link"], help="run only this section (link: over a 1 Gbit/s link, needs root "
                                                     "for a network namespace); not the benchmark of record")
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
    if args.only and args.only in args.skip:
        ap.error(f"--only {args.only} and --skip {args.only} leave nothing to run")
    return args


def main(argv):
    args = parse_args(argv)
    args.started = time.monotonic()
    check_tools()
    bench = []

    def body(work, procs):
        bench.append(Bench(args, work, procs))
        bench[0].run(snapshot_jars(args, work))
        report(bench[0], args)

    return run_in_scratch("bench", body, args.keep,
                          on_failure=lambda message: bench and report(bench[0], args, failed=message))

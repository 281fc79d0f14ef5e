"""Results: a section's table rows and notes, targets, and the Markdown report (printed and written to
RESULTS.md, or RESULTS-quick.md when the parameters are not those of the benchmark of record)."""
import os
import time
from dataclasses import dataclass, field

from .common import BENCH_DIR, REPO_ROOT, log
from .machine import machine


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


def official(args):
    return ((args.blob_mib, args.streams, args.wrk_seconds) == (256, 64, 10) and args.repetitions >= 5
            and not args.skip and not args.only)


def report(bench, args, failed=None):
    lines = []
    if not official(args):
        lines += ["> **Quick / custom run — not the benchmark of record.** Parameters differ from the defaults "
                  "(256 MiB blob, 64 streams, 5 repetitions, 10 s wrk); figures only show that every path works.", ""]
    lines += ["# Benchmark results", "",
              "`make bench` (`deploy/bench/bench.py`): everything side by side in one run on loopback, then over a "
              "1 Gbit/s link to the upstream (a network namespace and tbf). "
              "Each figure is a median; every request's status and byte count were checked and each path's body "
              "hashed once.", ""]
    info = machine()
    info.update({"blob size": f"{args.blob_mib} MiB", "repetitions": str(args.repetitions),
                 "concurrent streams": str(args.streams), "wrk duration": f"{args.wrk_seconds} s",
                 "image": f"{args.image_layers} layers × {args.image_layer_mib} MiB"})
    info["builds"] = getattr(args, "builds", "?")
    if hasattr(args, "started"):
        info["run time"] = f"{(time.monotonic() - args.started) / 60:.1f} min (the builds before it not counted)"
    if args.skip:
        info["sections left out"] = ", ".join(sorted(args.skip))
    if args.only:
        info["sections run"] = f"only {args.only}"
    lines += [f"- {k}: {v}" for k, v in info.items()] + [""]
    if failed:
        lines += [f"**The run FAILED:** {failed}", ""]
    for s in bench.sections:
        lines += [f"## {s.title}", ""]
        if s.rows:  # a skipped section has its reason only
            lines += ["| path | this project | reference | ratio | target | met |", "|---|---|---|---|---|---|"]
            lines += ["| " + " | ".join(r.cells()) + " |" for r in s.rows]
        lines += [""] + [f"- {n}" for n in s.notes] + ([""] if s.notes else [])
    text = "\n".join(lines)
    out = args.output or os.path.join(BENCH_DIR, "RESULTS.md" if official(args) else "RESULTS-quick.md")
    with open(out, "w") as f:
        f.write(text + "\n")
    print("\n" + text + f"\n(written to {os.path.relpath(out, REPO_ROOT)})", flush=True)

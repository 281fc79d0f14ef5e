"""16 concurrent cold pulls of one blob: wall time against one cold pull, exactly one upstream GET each time."""
from ..common import fmt_s, log, median
from ..report import Row, at_most, targeted


def measure(bench, s):
    p, c, n = bench.product, bench.client, bench.blob_bytes
    walls, gets = [], []
    for i in range(1, bench.reps + 1):
        group = f"coalesce{i}"
        p.create_group(group)
        before = bench.upstream_blob_gets()
        walls.append(c.parallel_get(f"16 concurrent cold pulls ({group})", 16, p.blob_url(group, bench.blob), n,
                                    [p.bearer()]))
        gets.append(bench.upstream_blob_gets() - before)
        p.await_hit(group, bench.blob)
    log(f"   16 concurrent cold: " + ", ".join(f"{t:.3f}" for t in walls) + f" s, upstream GETs {gets}")
    wall = median(walls)
    cold = bench.medians["cold"]
    s.add(targeted("16 concurrent cold pulls (wall time)", fmt_s(wall), "one cold pull " + fmt_s(cold), wall / cold,
                   at_most(1.3)))
    s.add(Row("upstream GETs per 16 concurrent cold pulls", " ".join(map(str, gets)), "—", None, "= 1 (each)",
              all(g == 1 for g in gets)))

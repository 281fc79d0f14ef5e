"""Load generators for request rates: wrk for GET (a Lua hook counts every non-200 answer), ab for HEAD (wrk 4.1
waits for a body after HEAD). Either fails the run on any bad answer or socket error."""
import os
import re
from dataclasses import dataclass

from .common import fail, log
from .processes import run_tool


@dataclass
class Rate:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int

    def __str__(self):
        return f"{self.rps:,.0f} req/s (p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms)"


WRK_SCRIPT = """
%(headers)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; last = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1; last = status end
end
function done(summary, latency, requests)
  local b, l = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); if t:get("last") ~= 0 then l = t:get("last") end end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), b, l, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load(bench, url, headers, head=False):
    """req/s and latency for one URL; fails the run on any non-200 answer or socket error."""
    return ab_head(bench, url, headers) if head else wrk(bench, url, headers)


def wrk(bench, url, headers):
    lua_headers = "\n".join(f'wrk.headers["{h.split(": ", 1)[0]}"] = "{h.split(": ", 1)[1]}"' for h in headers)
    script = os.path.join(bench.work, "wrk.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % {"headers": lua_headers})
    r = run_tool(["wrk", "-t2", "-c16", f"-d{bench.args.wrk_seconds}s", "--timeout", "10s", "-s", script, url],
                 bench.args.wrk_seconds + 60)
    m = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        fail(f"wrk {url} failed: {r.stdout[-500:]} {r.stderr[-500:]}")
    requests, duration_us, p50, p99, bad, last, errors = map(int, m.groups())
    if bad or errors or requests == 0:
        fail(f"wrk {url}: {bad} non-200 answers (last {last}), {errors} socket errors, {requests} requests")
    rate = Rate(requests / (duration_us / 1e6), p50 / 1000, p99 / 1000, requests)
    log(f"   wrk {url}: {rate}")
    return rate


def ab_head(bench, url, headers):
    argv = ["ab", "-q", "-i", "-k", "-c16", "-t", str(bench.args.wrk_seconds), "-n", "100000000"]
    for h in headers:
        argv += ["-H", h]
    r = run_tool(argv + [url], bench.args.wrk_seconds + 60)
    out = r.stdout
    grab = lambda pattern: re.search(pattern, out, re.M)
    complete, failed, rps = grab(r"^Complete requests:\s+(\d+)"), grab(r"^Failed requests:\s+(\d+)"), \
        grab(r"^Requests per second:\s+([\d.]+)")
    if r.returncode != 0 or not (complete and failed and rps):
        fail(f"ab {url} failed: {out[-500:]} {r.stderr[-500:]}")
    non2xx = grab(r"^Non-2xx responses:\s+(\d+)")
    if int(failed.group(1)) or non2xx or int(complete.group(1)) == 0:
        fail(f"ab {url}: {failed.group(1)} failed, {non2xx.group(1) if non2xx else 0} non-2xx answers")
    pct = lambda p: float(grab(rf"^\s+{p}%\s+(\d+)").group(1))
    rate = Rate(float(rps.group(1)), pct(50), pct(99), int(complete.group(1)))
    log(f"   ab HEAD {url}: {rate}")
    return rate

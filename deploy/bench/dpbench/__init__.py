"""The side-by-side benchmark (docs/operations.md, "Benchmark"), in one run: on loopback, then over a 1 Gbit/s link.

Everything it compares runs on this machine at the same time, started fresh by this program:
  - a real upstream registry (CNCF distribution, `docker-registry`) holding a blob of --blob-mib and a
    multi-layer image,
  - the product (the local runner: PostgreSQL, an S3 server, control plane, accelerator), started twice on the
    same data: first with the hot tier off (hits come from object storage), then with it on,
  - CNCF distribution in proxy mode in front of the same upstream, the reference.

Sections: blob transfers (upstream direct, distribution proxy cold/warm, S3 server direct, accelerator cold,
warm from object storage, warm from the hot tier), 16 concurrent cold pulls, memory and CPU under concurrent
streams, a full image pulled with skopeo, request rates (wrk; ab for HEAD, which wrk 4.1 cannot do).
Then over a 1 Gbit/s link (sections/link; needs root, skipped otherwise): a second upstream in its own network
namespace behind tbf, a third instance of the product on its own data plus a second accelerator on its control
plane, distribution's proxy and direct pulls, all through that link.

Every measured request is checked (status, byte count, a cache hit where one is claimed, upstream fetches where
they matter) and each path's body is hashed once; one failed check fails the run. A figure that looks too good
is a bug until proven otherwise. Results are printed and written to a Markdown file (see --output).

Modules: cli (options, the entry point), phases (the run: set-up, the two product phases, shared measuring
helpers), sections/ (one module per measured section), checks (checked curl transfers), net (ports, set-up
HTTP), processes (starting, stopping, scratch clean-up), registry (docker-registry, pushes to the upstream),
product (the builds and the local runner), replica (a second accelerator on its control plane), netns
(the rate-limited link), loadgen (wrk, ab), report (tables, RESULTS.md), machine (tools,
cores, memory, git commit), common (units, failure, logging, hashing); soak is `make soak`, its own run.
"""

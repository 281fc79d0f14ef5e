package io.depproxy.accelerator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.MetricsScrape;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;

/**
 * The per-upstream series of {@code /-/metrics} after misses from two upstreams the control plane names in its
 * send-dependencies: each counted under its own name (never under an image or a group), a 429 apart from other
 * errors, and the rate-limit headers an upstream sends (as Docker Hub does) as gauges.
 */
class UpstreamMetricsTest extends AcceleratorTestBase {
    private static final String HUB = "docker.io";
    private static final String GHCR = "ghcr.io";

    @Test
    void missesFromTwoUpstreamsAreCountedUnderTheirNamesOnly() {
        FakeUpstream other = FakeUpstream.start(vertx);
        Buffer hubBytes = randomBytes(64 * 1024 + 1, 31);
        Buffer ghcrBytes = randomBytes(32 * 1024 + 7, 32);
        String hubDigest = digestOf(hubBytes);
        String ghcrDigest = digestOf(ghcrBytes);
        upstream.serve("/v2/library/alpine/blobs/" + hubDigest, FakeUpstream.blob(hubBytes));
        other.serve("/v2/someorg/sometool/blobs/" + ghcrDigest, FakeUpstream.blob(ghcrBytes));
        controlPlane.inject(blobPath(hubDigest), blobMiss("/v2/library/alpine/blobs/" + hubDigest, hubDigest, null)
                .withUpstreamName(HUB));
        controlPlane.inject(blobPath(ghcrDigest), blobMissFrom(other.url("/v2/someorg/sometool/blobs/" + ghcrDigest),
                ghcrDigest, null).withUpstreamName(GHCR));
        MetricsScrape before = scrape();

        assertThat(get(blobPath(hubDigest)).body()).isEqualTo(hubBytes);
        assertThat(get(blobPath(ghcrDigest)).body()).isEqualTo(ghcrBytes);
        Await.await("both finalized").until(() -> shared.work().uploads() == 0
                && controlPlane.finalizeCalls().size() == 2);
        MetricsScrape after = scrape();

        assertThat(after.types()).containsEntry("accel_upstream_requests_total", "counter")
                .containsEntry("accel_upstream_bytes_total", "counter")
                .containsEntry("accel_upstream_latency_seconds", "histogram");
        assertThat(after.since(before, requests(HUB, "ok"))).isEqualTo(1);
        assertThat(after.since(before, requests(GHCR, "ok"))).isEqualTo(1);
        assertThat(after.since(before, requests("unknown", "ok"))).isZero();
        assertThat(after.since(before, "accel_upstream_bytes_total{upstream=\"" + HUB + "\"}"))
                .isEqualTo(hubBytes.length());
        assertThat(after.since(before, "accel_upstream_bytes_total{upstream=\"" + GHCR + "\"}"))
                .isEqualTo(ghcrBytes.length());
        assertThat(after.since(before, "accel_bytes_fetched_upstream_total"))
                .isEqualTo(hubBytes.length() + ghcrBytes.length());
        assertThat(after.since(before, "accel_upstream_latency_seconds_count{upstream=\"" + HUB + "\"}")).isEqualTo(1);
        assertThat(after.since(before, "accel_upstream_latency_seconds_count{upstream=\"" + GHCR + "\"}")).isEqualTo(1);
        assertThat(after.value("accel_upstream_latency_seconds_bucket{upstream=\"" + GHCR + "\",le=\"+Inf\"}"))
                .isEqualTo(1);
        // no upstream sent rate-limit headers: no gauge
        assertThat(after.types()).doesNotContainKeys("accel_upstream_ratelimit_limit",
                "accel_upstream_ratelimit_remaining");
        assertThat(after.samples().keySet()).noneMatch(series -> series.contains("alpine")
                || series.contains("someorg") || series.contains("sometool") || series.contains("acme")
                || series.contains("/"));
    }

    @Test
    void a429IsCountedApartAndTheRateLimitHeadersBecomeGauges() {
        Buffer bytes = randomBytes(16 * 1024, 33);
        String digest = digestOf(bytes);
        Buffer limitedBytes = randomBytes(16 * 1024, 34);
        String limitedDigest = digestOf(limitedBytes);
        upstream.serve("/limited", rateLimited(429, "100;w=21600", "0;w=21600", null));
        upstream.serve("/broken", FakeUpstream.json(500, "{\"errors\":[]}"));
        upstream.serve("/counted", rateLimited(200, "100;w=21600", "76;w=21600", bytes));
        controlPlane.inject(blobPath(limitedDigest), blobMiss("/limited", limitedDigest, null).withUpstreamName(HUB));
        MetricsScrape before = scrape();

        ClientResponse limited = get(blobPath(limitedDigest));
        assertThat(limited.status()).isEqualTo(429);
        MetricsScrape afterLimited = scrape();
        controlPlane.inject(blobPath(limitedDigest), blobMiss("/broken", limitedDigest, null).withUpstreamName(HUB));
        assertThat(get(blobPath(limitedDigest)).status()).isEqualTo(502);
        controlPlane.inject(blobPath(digest), blobMiss("/counted", digest, null).withUpstreamName(HUB));
        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("finalized").until(() -> shared.work().uploads() == 0
                && controlPlane.finalizeCalls().size() == 1);
        MetricsScrape after = scrape();

        assertThat(afterLimited.since(before, requests(HUB, "rate_limited"))).isEqualTo(1);
        assertThat(afterLimited.since(before, requests(HUB, "http_error"))).isZero();
        assertThat(afterLimited.types()).containsEntry("accel_upstream_ratelimit_limit", "gauge")
                .containsEntry("accel_upstream_ratelimit_remaining", "gauge");
        assertThat(afterLimited.value("accel_upstream_ratelimit_limit{upstream=\"" + HUB + "\"}")).isEqualTo(100);
        assertThat(afterLimited.value("accel_upstream_ratelimit_remaining{upstream=\"" + HUB + "\"}")).isZero();

        assertThat(after.since(afterLimited, requests(HUB, "http_error"))).isEqualTo(1);
        assertThat(after.since(afterLimited, requests(HUB, "ok"))).isEqualTo(1);
        assertThat(after.since(before, requests(HUB, "rate_limited"))).isEqualTo(1);
        assertThat(after.value("accel_upstream_ratelimit_remaining{upstream=\"" + HUB + "\"}")).isEqualTo(76);
        assertThat(after.value("accel_upstream_ratelimit_limit{upstream=\"" + HUB + "\"}")).isEqualTo(100);
        assertThat(after.samples().keySet()).noneMatch(series -> series.startsWith("accel_upstream_ratelimit")
                && !series.contains("upstream=\"" + HUB + "\""));
    }

    @Test
    void eachKindOfFailureHasItsOwnOutcome() {
        String digest = digestOf(Buffer.buffer("nothing"));
        upstream.serve("/missing", FakeUpstream.json(404, "{\"errors\":[]}"));
        upstream.serve("/denied", FakeUpstream.json(401, "{\"errors\":[]}"));
        upstream.serve("/silent", FakeUpstream.silent());
        MetricsScrape before = scrape();

        for (String path : new String[] {"/missing", "/denied", "/silent"}) {
            controlPlane.inject(blobPath(digest), blobMiss(path, digest, null).withUpstreamName(HUB));
            assertThat(get(blobPath(digest)).status()).as(path).isBetween(400, 599);
        }
        controlPlane.inject(blobPath(digest), blobMissFrom("http://127.0.0.1:1/x", digest, null).withUpstreamName(HUB));
        assertThat(get(blobPath(digest)).status()).isEqualTo(502);
        MetricsScrape after = scrape();

        assertThat(after.since(before, requests(HUB, "not_found"))).isEqualTo(1);
        assertThat(after.since(before, requests(HUB, "unauthorized"))).isEqualTo(1);
        assertThat(after.since(before, requests(HUB, "timeout"))).isEqualTo(1);
        assertThat(after.since(before, requests(HUB, "failed"))).isEqualTo(1);
        assertThat(after.since(before, requests(HUB, "http_error"))).isZero();
        assertThat(after.since(before, requests(HUB, "ok"))).isZero();
        assertThat(after.since(before, "accel_upstream_latency_seconds_count{upstream=\"" + HUB + "\"}")).isEqualTo(4);
    }

    /** Answers {@code status} with Docker Hub's rate-limit headers, and {@code body} (or a JSON error) after them. */
    private static Handler<HttpServerRequest> rateLimited(int status, String limit, String remaining, Buffer body) {
        return request -> {
            request.response().setStatusCode(status).putHeader("ratelimit-limit", limit)
                    .putHeader("ratelimit-remaining", remaining).putHeader("docker-ratelimit-source", "192.0.2.1");
            if (body == null) {
                request.response().putHeader("Content-Type", "application/json").putHeader("Retry-After", "60")
                        .end("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"rate limit\"}]}");
            } else {
                request.response().putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Content-Length", Integer.toString(body.length())).end(body);
            }
        };
    }

    private static String requests(String upstream, String outcome) {
        return "accel_upstream_requests_total{outcome=\"" + outcome + "\",upstream=\"" + upstream + "\"}";
    }

    private MetricsScrape scrape() {
        ClientResponse response = get("/-/metrics");
        assertThat(response.status()).isEqualTo(200);
        return MetricsScrape.parse(response.bodyText());
    }
}

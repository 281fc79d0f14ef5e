package io.depproxy.accelerator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.MetricsScrape;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Scrapes {@code /-/metrics} around real pulls and checks every series docs/operations.md lists (and the rest of the
 * accelerator's) by name, type and labels, and that each moved by what the pulls did.
 */
class MetricsScrapeTest extends AcceleratorTestBase {
    private static final String MISS = "send-dependency";
    private static final String HIT = "send-url";
    /** The upstream label of a send-dependency that names none, as the helpers here send (an open series). */
    private static final String UNKNOWN = "{upstream=\"unknown\"";
    private static final List<String> LATENCY_BOUNDS = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
            "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "+Inf");
    private final Buffer bytes = randomBytes(256 * 1024 + 5, 91);
    private final String digest = digestOf(bytes);
    private final Buffer stored = randomBytes(128 * 1024 + 3, 92);
    private final String storedDigest = digestOf(stored);

    @Override
    protected long hotCacheMaxBytes() {
        return 8L * 1024 * 1024;
    }

    @Test
    void everyDocumentedSeriesIsThereWithItsTypeAndLabels() {
        assertThat(get("/-/health/live").status()).isEqualTo(200);
        MetricsScrape scrape = scrape();

        Map.ofEntries(
                Map.entry("accel_http_requests_total", "counter"),
                Map.entry("accel_senddata_responses_total", "counter"),
                Map.entry("accel_senddata_bytes_total", "counter"),
                Map.entry("accel_bytes_served_from_cache_total", "counter"),
                Map.entry("accel_bytes_fetched_upstream_total", "counter"),
                Map.entry("accel_upstream_requests_total", "counter"),
                Map.entry("accel_upstream_bytes_total", "counter"),
                Map.entry("accel_upstream_latency_seconds", "histogram"),
                Map.entry("accel_finalize_latency_seconds", "histogram"),
                Map.entry("accel_upload_failures_total", "counter"),
                Map.entry("accel_uploads_finalized_total", "counter"),
                Map.entry("accel_verification_failures_total", "counter"),
                Map.entry("accel_coalesced_waiters_total", "counter"),
                Map.entry("accel_spool_passthrough_total", "counter"),
                Map.entry("accel_fetches_abandoned_total", "counter"),
                Map.entry("accel_hot_tier_lookups_total", "counter"),
                Map.entry("accel_hot_tier_evictions_total", "counter"),
                Map.entry("accel_active_streams", "gauge"),
                Map.entry("accel_uploads_in_progress", "gauge"),
                Map.entry("accel_spool_used_bytes", "gauge"),
                Map.entry("accel_inflight_fetches", "gauge"),
                Map.entry("accel_hot_tier_used_bytes", "gauge"),
                Map.entry("accel_hot_tier_files", "gauge"),
                Map.entry("accel_direct_memory_bytes", "gauge"))
                .forEach((name, type) -> assertThat(scrape.types()).as(name).containsEntry(name, type));
        for (String injection : List.of(MISS, HIT)) {
            assertThat(scrape.value("accel_senddata_responses_total{injection=\"" + injection + "\"}")).isZero();
            assertThat(scrape.value("accel_senddata_bytes_total{injection=\"" + injection + "\"}")).isZero();
        }
        for (String result : List.of("hit", "miss", "stale")) {
            assertThat(scrape.value("accel_hot_tier_lookups_total{result=\"" + result + "\"}")).isZero();
        }
        // per upstream (the name the control plane sends): "unknown" stands for a control plane that sends none
        for (String outcome : List.of("ok", "not_found", "unauthorized", "rate_limited", "http_error", "failed",
                "timeout", "refused")) {
            assertThat(scrape.value("accel_upstream_requests_total{outcome=\"" + outcome + "\",upstream=\"unknown\"}"))
                    .isZero();
        }
        assertThat(scrape.value("accel_upstream_bytes_total{upstream=\"unknown\"}")).isZero();
        for (String histogram : List.of("accel_upstream_latency_seconds{upstream=\"unknown\"",
                "accel_finalize_latency_seconds{")) {
            String name = histogram.substring(0, histogram.indexOf('{'));
            String labels = histogram.substring(histogram.indexOf('{'));
            String bucketLabels = labels.equals("{") ? labels : labels + ",";
            String plain = labels.equals("{") ? "" : labels + "}";
            LATENCY_BOUNDS.forEach(le -> assertThat(scrape.value(name + "_bucket" + bucketLabels + "le=\"" + le + "\"}"))
                    .isZero());
            assertThat(scrape.value(name + "_count" + plain)).isZero();
            assertThat(scrape.value(name + "_sum" + plain)).isZero();
        }
        // the rate-limit gauges appear once an upstream sent its headers (UpstreamMetricsTest)
        assertThat(scrape.types()).doesNotContainKeys("accel_upstream_ratelimit_limit",
                "accel_upstream_ratelimit_remaining");
        assertThat(scrape.value("accel_direct_memory_bytes{pool=\"netty\"}")).isNotZero();
        assertThat(scrape.samples().keySet()).noneMatch(series -> series.contains("/"));
    }

    @Test
    void aMissThenTwoHitsMoveEachCounterByWhatHappened() {
        MetricsScrape before = scrape();
        upstream.serve("/v2/library/alpine/blobs/" + digest, FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/v2/library/alpine/blobs/" + digest, digest, null));

        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("finalize").until(() -> shared.work().uploads() == 0
                && controlPlane.finalizeCalls().size() == 1);
        MetricsScrape missed = scrape();

        assertThat(missed.since(before, "accel_http_requests_total{route=\"blob\",status=\"200\"}")).isEqualTo(1);
        assertThat(missed.since(before, "accel_http_requests_total{route=\"metrics\",status=\"200\"}")).isEqualTo(1);
        assertThat(missed.since(before, "accel_senddata_responses_total{injection=\"" + MISS + "\"}")).isEqualTo(1);
        assertThat(missed.since(before, "accel_senddata_bytes_total{injection=\"" + MISS + "\"}"))
                .isEqualTo(bytes.length());
        assertThat(missed.since(before, "accel_bytes_fetched_upstream_total")).isEqualTo(bytes.length());
        assertThat(missed.since(before, "accel_bytes_served_from_cache_total")).isZero();
        assertThat(missed.since(before, "accel_upstream_bytes_total" + UNKNOWN + "}")).isEqualTo(bytes.length());
        assertThat(missed.since(before, "accel_upstream_requests_total{outcome=\"ok\"," + UNKNOWN.substring(1) + "}"))
                .isEqualTo(1);
        assertThat(missed.since(before, "accel_upstream_latency_seconds_count" + UNKNOWN + "}")).isEqualTo(1);
        assertThat(missed.since(before, "accel_upstream_latency_seconds_bucket" + UNKNOWN + ",le=\"+Inf\"}"))
                .isEqualTo(1);
        assertThat(missed.value("accel_upstream_latency_seconds_sum" + UNKNOWN + "}")).isPositive();
        assertCumulative(missed, "accel_upstream_latency_seconds", UNKNOWN + ",", UNKNOWN + "}");
        assertThat(missed.since(before, "accel_finalize_latency_seconds_count")).isEqualTo(1);
        assertThat(missed.since(before, "accel_uploads_finalized_total")).isEqualTo(1);
        assertThat(missed.since(before, "accel_upload_failures_total")).isZero();
        assertThat(missed.value("accel_active_streams")).isZero();
        assertThat(missed.value("accel_uploads_in_progress")).isZero();
        assertThat(missed.value("accel_inflight_fetches")).isZero();

        // a blob only object storage holds: the first hit reads it there and keeps a copy, the second reads the copy
        store.put("dependency_proxy/1/blobs/sha256/x", stored);
        controlPlane.inject(blobPath(storedDigest), SendUrl.proxy(store.url("dependency_proxy/1/blobs/sha256/x",
                "X-Amz-Signature=get"), HeaderMap.single(Headers.DOCKER_CONTENT_DIGEST, storedDigest), storedDigest));
        assertThat(get(blobPath(storedDigest)).body()).isEqualTo(stored);
        Await.await("hot copy").until(() -> shared.hot().find(storedDigest).isPresent());
        assertThat(get(blobPath(storedDigest)).body()).isEqualTo(stored);
        MetricsScrape hit = scrape();

        assertThat(hit.since(missed, "accel_http_requests_total{route=\"blob\",status=\"200\"}")).isEqualTo(2);
        assertThat(hit.since(missed, "accel_senddata_responses_total{injection=\"" + HIT + "\"}")).isEqualTo(2);
        assertThat(hit.since(missed, "accel_senddata_bytes_total{injection=\"" + HIT + "\"}"))
                .isEqualTo(2.0 * stored.length());
        assertThat(hit.since(missed, "accel_bytes_served_from_cache_total")).isEqualTo(2.0 * stored.length());
        assertThat(hit.since(missed, "accel_bytes_fetched_upstream_total")).isZero();
        assertThat(hit.since(missed, "accel_upstream_bytes_total" + UNKNOWN + "}")).isZero();
        assertThat(hit.since(missed, "accel_hot_tier_lookups_total{result=\"miss\"}")).isEqualTo(1);
        assertThat(hit.since(missed, "accel_hot_tier_lookups_total{result=\"hit\"}")).isEqualTo(1);
        // the miss kept its verified download too
        assertThat(hit.value("accel_hot_tier_used_bytes")).isEqualTo(bytes.length() + stored.length());
        assertThat(hit.value("accel_hot_tier_files")).isEqualTo(2);
        assertThat(hit.value("accel_hot_tier_evictions_total")).isZero();
    }

    @Test
    void upstreamOutcomesAndRefusalsAreCountedByLabel() {
        MetricsScrape before = scrape();
        upstream.serve("/missing", FakeUpstream.json(404, "{\"errors\":[]}"));
        controlPlane.inject(blobPath(digest), blobMiss("/missing", digest, null));
        assertThat(get(blobPath(digest)).status()).isEqualTo(404);
        controlPlane.inject(blobPath(digest), blobMissFrom("http://127.0.0.1:1/x", digest, null));
        assertThat(get(blobPath(digest)).status()).isEqualTo(502);
        assertThat(get("/-/nothing").status()).isEqualTo(404);
        assertThat(call(port, HttpMethod.DELETE, GROUP_PATH + "/manifests/latest").status()).isEqualTo(405);

        MetricsScrape after = scrape();

        assertThat(after.since(before, "accel_upstream_requests_total{outcome=\"not_found\"," + UNKNOWN.substring(1) + "}"))
                .isEqualTo(1);
        assertThat(after.since(before, "accel_upstream_requests_total{outcome=\"failed\"," + UNKNOWN.substring(1) + "}"))
                .isEqualTo(1);
        assertThat(after.since(before, "accel_upstream_latency_seconds_count" + UNKNOWN + "}")).isEqualTo(2);
        assertThat(after.since(before, "accel_http_requests_total{route=\"blob\",status=\"404\"}")).isEqualTo(1);
        assertThat(after.since(before, "accel_http_requests_total{route=\"blob\",status=\"502\"}")).isEqualTo(1);
        assertThat(after.since(before, "accel_http_requests_total{route=\"internal\",status=\"404\"}")).isEqualTo(1);
        assertThat(after.since(before, "accel_http_requests_total{route=\"manifest\",status=\"405\"}")).isEqualTo(1);
        assertThat(after.since(before, "accel_senddata_responses_total{injection=\"" + MISS + "\"}")).isEqualTo(2);
        assertThat(after.value("accel_active_streams")).isZero();
    }

    @Test
    void concurrentMissesOfOneKeyCountTheirWaiters() {
        int clients = 3;
        MetricsScrape before = scrape();
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 64 * 1024, 10,
                () -> controlPlane.requests(blobPath(digest)).size() >= clients));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        List<Future<ClientResponse>> pending = IntStream.range(0, clients)
                .mapToObj(i -> send(port, HttpMethod.GET, blobPath(digest), null)).toList();
        pending.forEach(response -> assertThat(Await.result(response).body()).isEqualTo(bytes));
        Await.await("finalize and spool cleaned up").until(() -> shared.work().uploads() == 0
                && controlPlane.finalizeCalls().size() == 1 && shared.spool().usedBytes() == 0);
        MetricsScrape after = scrape();

        assertThat(after.since(before, "accel_coalesced_waiters_total")).isEqualTo(clients - 1);
        assertThat(after.since(before, "accel_upstream_requests_total{outcome=\"ok\"," + UNKNOWN.substring(1) + "}"))
                .isEqualTo(1);
        assertThat(after.since(before, "accel_senddata_responses_total{injection=\"" + MISS + "\"}")).isEqualTo(clients);
        assertThat(after.since(before, "accel_http_requests_total{route=\"blob\",status=\"200\"}")).isEqualTo(clients);
        assertThat(after.value("accel_spool_used_bytes")).isZero();
    }

    private MetricsScrape scrape() {
        ClientResponse response = get("/-/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return MetricsScrape.parse(response.bodyText());
    }

    /** {@code bucketLabels}: the labels before {@code le} ({@code {} or {@code {a="b",}); {@code labels}: all. */
    private static void assertCumulative(MetricsScrape scrape, String histogram, String bucketLabels, String labels) {
        List<Double> counts = LATENCY_BOUNDS.stream()
                .map(le -> scrape.value(histogram + "_bucket" + bucketLabels + "le=\"" + le + "\"}")).toList();
        assertThat(counts).isSorted();
        assertThat(counts.get(counts.size() - 1)).isEqualTo(scrape.value(histogram + "_count" + labels));
    }
}

package io.depproxy.accelerator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** What {@code /-/metrics} shows after real traffic: every series the dashboards rely on, with bounded labels. */
class AcceleratorMetricsTest extends AcceleratorTestBase {

    @Test
    void countsRequestsByRouteTemplateAndStatusNeverByPath() {
        controlPlane.inject(GROUP_PATH + "/blobs/sha256:1", SendUrl.redirectTo("http://127.0.0.1:1/x?sig=1",
                HeaderMap.empty()));
        controlPlane.inject(GROUP_PATH + "/blobs/sha256:2", SendUrl.redirectTo("http://127.0.0.1:1/y?sig=1",
                HeaderMap.empty()));
        get(GROUP_PATH + "/blobs/sha256:1");
        get(GROUP_PATH + "/blobs/sha256:2");
        get(GROUP_PATH + "/manifests/latest");

        String metrics = scrape();

        assertThat(metrics)
                .contains("accel_http_requests_total{route=\"blob\",status=\"307\"} 2")
                .contains("accel_http_requests_total{route=\"manifest\",status=\"404\"} 1")
                .contains("accel_active_streams 0")
                .doesNotContain("sha256:1", "latest", "alpine");
    }

    @Test
    void measuresAMissFromUpstreamToFinalizeAndAHitFromTheCache() {
        Buffer bytes = randomBytes(256 * 1024 + 3, 7);
        String digest = digestOf(bytes);
        upstream.serve("/v2/library/alpine/blobs/" + digest, FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/v2/library/alpine/blobs/" + digest, digest, null));
        ClientResponse miss = get(blobPath(digest));
        assertThat(miss.body()).isEqualTo(bytes);
        Await.await("finalize").until(() -> scrape().contains("accel_uploads_finalized_total 1"));
        store.put("dependency_proxy/1/blobs/sha256/x", bytes);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(store.url("dependency_proxy/1/blobs/sha256/x",
                "X-Amz-Signature=get"), HeaderMap.empty()));
        ClientResponse hit = get(blobPath(digest));
        assertThat(hit.body()).isEqualTo(bytes);

        String metrics = scrape();

        assertThat(metrics)
                .contains("accel_senddata_responses_total{injection=\"send-dependency\"} 1")
                .contains("accel_senddata_responses_total{injection=\"send-url\"} 1")
                .contains("accel_upstream_requests_total{outcome=\"ok\",upstream=\"unknown\"} 1")
                .contains("accel_upstream_latency_seconds_count{upstream=\"unknown\"} 1")
                .contains("accel_upstream_latency_seconds_bucket{upstream=\"unknown\",le=\"+Inf\"} 1")
                .contains("accel_upstream_bytes_total{upstream=\"unknown\"} " + bytes.length())
                .contains("accel_finalize_latency_seconds_count 1")
                .contains("accel_bytes_fetched_upstream_total " + bytes.length())
                .contains("accel_bytes_served_from_cache_total " + bytes.length())
                .contains("accel_upload_failures_total 0")
                .contains("accel_coalesced_waiters_total 0")
                .contains("accel_uploads_in_progress 0")
                .contains("accel_http_requests_total{route=\"blob\",status=\"200\"} 2");
    }

    private String scrape() {
        return get("/-/metrics").bodyText();
    }
}

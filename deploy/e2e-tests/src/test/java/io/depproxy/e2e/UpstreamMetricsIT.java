package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static io.depproxy.e2e.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real upstream registries added by name, one of them configured to add Docker Hub's rate-limit headers to every
 * answer. After skopeo pulls an image from each through one group, both services' {@code /-/metrics} show
 * per-upstream series under each name (requests by outcome, latency, bytes) and that rate limit as gauges;
 * no series names an image or the group.
 */
class UpstreamMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHA = "alpha.e2e";
    private static final String BETA = "beta.e2e";
    private static final String GROUP = "upstream-metrics";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry alpha;
    private static UpstreamRegistry beta;
    private static ProxyStack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        alpha = e2e.upstream("alpha");
        // beta answers with Docker Hub's rate-limit headers on every response
        beta = e2e.upstream(UpstreamRegistry.withResponseHeaders(e2e.dir("beta"),
                Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "76;w=21600")));
        stack = e2e.stack(Map.of("DP_UPSTREAM_URL", alpha.url()));
        long alphaId = stack.addUpstream(Map.of("name", ALPHA, "url", alpha.url()));
        long betaId = stack.addUpstream(Map.of("name", BETA, "url", beta.url()));
        stack.listUpstreams(stack.createGroup(GROUP), List.of(alphaId, betaId));
    }

    @Test
    void bothServicesCountEachUpstreamByNameAndShowTheRateLimitItSends() throws Exception {
        e2e.pushImage(alpha, "team/alphaimage" + ":v1", 21, 1_000, 64 * 1024);
        e2e.pushImage(beta, "team/betaimage" + ":v1", 22, 1_000, 64 * 1024);
        String containers = stack.hostPort() + "/" + GROUP + "/dependency_proxy/containers/";

        Skopeo.pull(containers + ALPHA + "/team/alphaimage:v1", CREDS, e2e.dir("pulled-alpha"))
                .assertSuccess(List.of("skopeo copy from " + ALPHA));
        Skopeo.pull(containers + BETA + "/team/betaimage:v1", CREDS, e2e.dir("pulled-beta"))
                .assertSuccess(List.of("skopeo copy from " + BETA));

        String accelerator = get(stack.url() + "/-/metrics");
        String controlPlane = get("http://127.0.0.1:" + stack.controlPlanePort() + "/-/metrics");
        for (String upstream : List.of(ALPHA, BETA)) {
            assertThat(value(accelerator, "accel_upstream_requests_total{outcome=\"ok\",upstream=\"" + upstream + "\"}"))
                    .as("accelerator GETs from " + upstream).isGreaterThanOrEqualTo(2); // a manifest and its blobs
            assertThat(value(accelerator, "accel_upstream_bytes_total{upstream=\"" + upstream + "\"}"))
                    .as("bytes from " + upstream).isGreaterThan(64 * 1024);
            assertThat(value(accelerator, "accel_upstream_latency_seconds_count{upstream=\"" + upstream + "\"}"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(value(controlPlane, "dp_upstream_requests_total{outcome=\"ok\",upstream=\"" + upstream + "\"}"))
                    .as("control plane HEADs of " + upstream).isPositive();
            assertThat(value(controlPlane, "dp_upstream_latency_seconds_count{upstream=\"" + upstream + "\"}"))
                    .isPositive();
        }
        assertThat(value(controlPlane, "dp_upstream_ratelimit_limit{upstream=\"" + BETA + "\"}")).isEqualTo(100);
        assertThat(value(controlPlane, "dp_upstream_ratelimit_remaining{upstream=\"" + BETA + "\"}")).isEqualTo(76);
        assertThat(value(accelerator, "accel_upstream_ratelimit_limit{upstream=\"" + BETA + "\"}")).isEqualTo(100);
        assertThat(value(accelerator, "accel_upstream_ratelimit_remaining{upstream=\"" + BETA + "\"}")).isEqualTo(76);
        for (String metrics : List.of(accelerator, controlPlane)) {
            // alpha sends no rate-limit headers; no label holds an image, a path or the group
            assertThat(metrics).doesNotContain("ratelimit_limit{upstream=\"" + ALPHA + "\"}")
                    .doesNotContain("alphaimage", "betaimage", "team/", GROUP);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}

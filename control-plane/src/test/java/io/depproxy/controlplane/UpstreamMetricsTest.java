package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's own upstream calls on {@code /-/metrics}, per upstream name: requests by outcome (a 429 apart),
 * their latency, and Docker Hub's rate-limit headers from a manifest HEAD as gauges; never an image or a group in a
 * label. A miss names its upstream in the send-dependency, for the accelerator's series.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class UpstreamMetricsTest {
    private static FakeRegistry hub;
    private static FakeRegistry other;
    private static String hubName;
    private static String otherName;
    private static String group;

    /** Once: the application (and its port) is up only by the first test. */
    @BeforeEach
    void registerUpstreams() {
        if (hub != null) {
            return;
        }
        hub = FakeRegistry.start();
        other = FakeRegistry.start();
        hub.sendRateLimit("100;w=21600", "76;w=21600");
        hubName = unique("hub") + ".test";
        otherName = unique("other") + ".test";
        Map<String, Object> credentials = Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD);
        long hubId = UpstreamsApiTest.createUpstream(hubName, hub.baseUrl(), credentials);
        long otherId = UpstreamsApiTest.createUpstream(otherName, other.baseUrl(), credentials);
        group = unique("metricsgroup");
        long groupId = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(hubId, otherId)))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
    }

    @AfterAll
    static void stopUpstreams() {
        if (hub != null) {
            hub.close();
            other.close();
        }
    }

    @Test
    void manifestMissesFromTwoUpstreamsAreCountedByUpstreamNameWithTheRateLimitGauges() {
        String image = unique("secretimage");
        hub.putManifest("org/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("hub"));
        other.putManifest("org/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("other"));
        Map<String, Double> before = scrape();

        SendDependency fromHub = miss(hubName + "/org/" + image);
        SendDependency fromOther = miss(otherName + "/org/" + image);
        Map<String, Double> after = scrape();

        assertThat(fromHub.upstreamName()).isEqualTo(hubName);
        assertThat(fromOther.upstreamName()).isEqualTo(otherName);
        assertThat(hub.requestsFor("org/" + image)).contains("HEAD /v2/org/" + image + "/manifests/1");
        assertThat(since(before, after, requests(hubName, "ok"))).isPositive();
        assertThat(since(before, after, requests(otherName, "ok"))).isPositive();
        // every call is timed, whatever its outcome (the first one, GET /v2/, is the token challenge's 401)
        assertThat(since(before, after, "dp_upstream_latency_seconds_count{upstream=\"" + hubName + "\"}"))
                .isEqualTo(List.of("ok", "not_found", "unauthorized", "rate_limited", "http_error", "failed",
                        "timeout", "refused").stream().mapToDouble(o -> since(before, after, requests(hubName, o))).sum());
        assertThat(after).containsKey("dp_upstream_latency_seconds_bucket{upstream=\"" + otherName + "\",le=\"+Inf\"}");
        assertThat(after.get("dp_upstream_ratelimit_limit{upstream=\"" + hubName + "\"}")).isEqualTo(100.0);
        assertThat(after.get("dp_upstream_ratelimit_remaining{upstream=\"" + hubName + "\"}")).isEqualTo(76.0);
        assertThat(after).doesNotContainKeys("dp_upstream_ratelimit_limit{upstream=\"" + otherName + "\"}",
                "dp_upstream_ratelimit_remaining{upstream=\"" + otherName + "\"}");
        assertThat(after.keySet()).filteredOn(series -> series.startsWith("dp_upstream"))
                .isNotEmpty()
                .noneMatch(series -> series.contains(image) || series.contains("org/") || series.contains(group));

        // the registry's count went down: the next HEAD says so
        hub.sendRateLimit("100;w=21600", "75;w=21600");
        miss(hubName + "/org/" + image);
        assertThat(scrape().get("dp_upstream_ratelimit_remaining{upstream=\"" + hubName + "\"}")).isEqualTo(75.0);
    }

    @Test
    void a429IsCountedApartFromOtherErrors() {
        String image = unique("limited");
        other.putManifest("org/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("limited"));
        other.failRepository("org/" + image, 429);
        Map<String, Double> before = scrape();

        asRoot().get(path(group, otherName + "/org/" + image, "manifests", "1"));
        Map<String, Double> limited = scrape();
        other.failRepository("org/" + image, 500);
        asRoot().get(path(group, otherName + "/org/" + image, "manifests", "1"));
        Map<String, Double> failed = scrape();
        other.failRepository("org/" + image, 0);

        assertThat(since(before, limited, requests(otherName, "rate_limited"))).isPositive();
        assertThat(since(before, limited, requests(otherName, "http_error"))).isZero();
        assertThat(since(limited, failed, requests(otherName, "http_error"))).isPositive();
        assertThat(since(limited, failed, requests(otherName, "rate_limited"))).isZero();
    }

    @Test
    void aConnectionTestIsCountedUnderTheUpstreamsName() {
        String name = unique("probed") + ".test";
        long id = UpstreamsApiTest.createUpstream(name, other.baseUrl(), Map.of());
        Map<String, Double> before = scrape();

        asAdmin().post("/api/v4/dependency_proxy/upstreams/" + id + "/test").then().statusCode(200);

        // GET /v2/ answers 401 with a challenge: the registry wants a token, which is what a test without credentials sees
        assertThat(since(before, scrape(), requests(name, "unauthorized"))).isEqualTo(1);
    }

    private static SendDependency miss(String image) {
        io.restassured.response.Response response = asRoot().get(path(group, image, "manifests", "1"));
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }

    private static byte[] manifest(String text) {
        return ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String requests(String upstream, String outcome) {
        return "dp_upstream_requests_total{outcome=\"" + outcome + "\",upstream=\"" + upstream + "\"}";
    }

    private static double since(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series " + series).containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    /** Every sample of {@code /-/metrics} by its series (name and labels). */
    private static Map<String, Double> scrape() {
        String text = given().get("/-/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new LinkedHashMap<>();
        text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }
}

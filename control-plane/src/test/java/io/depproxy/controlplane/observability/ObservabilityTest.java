package io.depproxy.controlplane.observability;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.logging.Log;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Drives registry and API requests that carry secrets and reads what the control plane wrote: the JSON log lines
 * (as in prod) and the Prometheus scrape.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(ObservabilityTest.JsonFileLog.class)
public class ObservabilityTest {
    static final Path LOG_FILE = Path.of("target", "observability-test.log");
    private static final String DIGEST = "sha256:" + "c0ffee".repeat(10) + "abcd";
    private static final List<String> SECRETS = List.of("querysig1234", "bearersecret1234", "privatesecret1234",
            "leakedsig1234", "leakedbearer1234");

    /** The prod JSON format, to a file the test can read, through the same mask as the console. */
    public static class JsonFileLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.json.enabled", "true",
                    "quarkus.log.file.filter", SecretMaskingFilter.NAME);
        }
    }

    @Test
    void logsCarryTheRequestIdAndNoSecret() throws IOException {
        String requestId = "obs-" + UUID.randomUUID();
        String image = "obs-image-" + UUID.randomUUID().toString().substring(0, 8);

        given().header("X-Request-Id", requestId).header("Authorization", "Bearer bearersecret1234")
                .get("/v2/obs/dependency_proxy/containers/" + image + "/manifests/latest?X-Amz-Signature=querysig1234")
                .then().statusCode(401);
        given().header("X-Request-Id", requestId).header("PRIVATE-TOKEN", "privatesecret1234")
                .get("/api/v4/groups/1").then().statusCode(401);
        Log.errorf(new IllegalStateException("Authorization: Bearer leakedbearer1234"),
                "storage refused http://s3/b/k?X-Amz-Signature=%s", "leakedsig1234");

        // an access line is written when its response has ended, which can be just after the client read it
        await("both access lines in the log file").atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> lines = readLog().lines().filter(line -> line.contains("\"request_id\":\"" + requestId))
                    .toList();
            return lines.stream().anyMatch(line -> line.contains("\"route\":\"api\""))
                    && lines.stream().anyMatch(line -> line.contains("\"route\":\"manifest\""));
        });
        String log = readLog();
        assertThat(log).doesNotContain(SECRETS).contains("?[masked]");
        assertThat(log.lines().filter(line -> line.contains("\"request_id\":\"" + requestId + "\"")))
                .anyMatch(line -> line.contains("\"route\":\"manifest\"") && line.contains("401"))
                .anyMatch(line -> line.contains("\"route\":\"api\""));
    }

    private static String readLog() {
        try {
            return Files.readString(LOG_FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void httpMetricsNameRoutesNotRegistryPaths() {
        String image = "metrics-image-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v2/metrics-group/dependency_proxy/containers/" + image;
        given().get(base + "/blobs/" + DIGEST).then().statusCode(401);
        given().head(base + "/manifests/" + DIGEST).then().statusCode(401);
        given().get(base + "/manifests/v1").then().statusCode(401);

        String metrics = given().get("/-/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"401\","
                        + "uri=\"/v2/{name}/blobs/{digest}\"}")
                .contains("http_server_requests_seconds_count{method=\"HEAD\",outcome=\"CLIENT_ERROR\",status=\"401\","
                        + "uri=\"/v2/{name}/manifests/{reference}\"}")
                .doesNotContain("dp_http_requests_total")
                .doesNotContain(image, DIGEST, "metrics-group");
    }
}

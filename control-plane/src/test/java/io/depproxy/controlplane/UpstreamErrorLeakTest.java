package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.observability.ObservabilityTest;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An upstream that cannot be reached: the client's error names the kind of failure and nothing else (no URL, no
 * host, no exception text); the log keeps all of it, on a line with the request id.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(ObservabilityTest.JsonFileLog.class)
class UpstreamErrorLeakTest {
    /** Where {@link ObservabilityTest.JsonFileLog} writes. */
    private static final Path LOG_FILE = Path.of("target", "observability-test.log");

    @Test
    void aRefusedConnectionToAHostNameIsNamedOnlyInTheLog() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String name = unique("unreachable") + ".test";
        long upstreamId = UpstreamsApiTest.createUpstream(name, "http://localhost:" + closedPort, Map.of());
        String group = unique("leak");
        long groupId = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstreamId)))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
        String requestId = unique("leak-request");

        Response tag = asRoot().header("X-Request-Id", requestId).get(path(group, name + "/app", "manifests", "1"));
        Response blob = asRoot().header("X-Request-Id", requestId)
                .get(path(group, name + "/app", "blobs", "sha256:" + "ab".repeat(32)));

        for (Response response : List.of(tag, blob)) {
            response.then().statusCode(503);
            assertThat(response.jsonPath().getString("errors[0].code")).isEqualTo("UNAVAILABLE");
            assertThat(response.jsonPath().getString("errors[0].message"))
                    .isEqualTo("the upstream registry could not be reached");
            assertThat(response.asString()).doesNotContain("localhost", Integer.toString(closedPort), "Exception");
        }
        await("the detail in the log with the request id").atMost(Duration.ofSeconds(10)).until(() -> readLog().lines()
                .anyMatch(line -> line.contains("\"request_id\":\"" + requestId + "\"")
                        && line.contains("localhost:" + closedPort)));
    }

    private static String readLog() {
        try {
            return Files.exists(LOG_FILE) ? Files.readString(LOG_FILE, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

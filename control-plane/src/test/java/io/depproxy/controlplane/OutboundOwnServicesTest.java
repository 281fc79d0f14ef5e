package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.OutboundRefusalTest.assertRefused;
import static io.depproxy.controlplane.OutboundRefusalTest.groupUsing;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.s3Endpoint;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.observability.SecretMaskingFilter;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.HostileRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With all of loopback allow-listed (DP_OUTBOUND_ALLOW=127.0.0.0/8) an upstream's redirect to another loopback port
 * is followed, but the control plane's own port and the object store stay refused: they are this deployment's own
 * services, which no configuration opens. Each refusal is one log line with the request id and the refused address.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(OutboundOwnServicesTest.LoopbackAllowed.class)
class OutboundOwnServicesTest {
    static final Path LOG_FILE = Path.of("target", "outbound-own-services-test.log");

    private final HostileRegistry hostile = HostileRegistry.start();
    private final HostileRegistry elsewhere = HostileRegistry.start();

    public static class LoopbackAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dp.outbound.allow", "127.0.0.0/8",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.filter", SecretMaskingFilter.NAME);
        }
    }

    @AfterEach
    void stop() {
        hostile.close();
        elsewhere.close();
    }

    @Test
    void theControlPlanesOwnPortStaysRefusedAndTheRefusalIsLoggedOnce() {
        hostile.redirectTo("http://127.0.0.1:" + RestAssured.port + "/-/metrics");
        String group = groupUsing(hostile);
        String image = unique("app");
        String requestId = "outbound-" + UUID.randomUUID();

        assertRefused(asRoot().header("X-Request-Id", requestId).get(path(group, image, "manifests", "latest")));

        await("the refusal in the log").atMost(Duration.ofSeconds(10)).until(() -> readLog().contains(requestId));
        assertThat(readLog().lines().filter(line -> line.contains(requestId) && line.contains("outbound destination refused"))
                .toList()).singleElement().asString()
                .contains("127.0.0.1", ":" + RestAssured.port, "own service");
    }

    @Test
    void theObjectStoreStaysRefused() {
        hostile.redirectTo(s3Endpoint() + "/" + ControlPlaneTestResources.BUCKET + "/");
        String group = groupUsing(hostile);

        assertRefused(asRoot().get(path(group, unique("app"), "manifests", "latest")));
    }

    @Test
    void anotherLoopbackPortIsReachedWithoutTheCredentials() {
        hostile.redirectTo(elsewhere.baseUrl() + "/internal");
        String group = groupUsing(hostile);

        asRoot().head(path(group, unique("app"), "manifests", "latest")).then().statusCode(200);

        assertThat(elsewhere.requests("/internal")).hasSize(1);
    }

    private static String readLog() {
        try {
            return Files.exists(LOG_FILE) ? Files.readString(LOG_FILE) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.support.ControlPlaneProcess;
import io.depproxy.controlplane.support.ReplicaBackends;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the monitoring component's "object store / database unavailable" alerts read: a packaged control plane's
 * {@code dp_storage_up} and {@code dp_database_up} are 1 while both answer, and each drops to 0 (the other one
 * unchanged) once its backend goes away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendHealthMetricsIT {
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    /** Two check periods (15 s) plus a refused connection's worth of slack. */
    private static final Duration NOTICED = Duration.ofSeconds(45);

    private static ReplicaBackends backends;
    private static ControlPlaneProcess controlPlane;

    @BeforeAll
    static void start() {
        backends = ReplicaBackends.start("dp-health-metrics", ADMIN_TOKEN);
        controlPlane = ControlPlaneProcess.start("health-metrics", backends.environment(Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        ReplicaBackends.closeAll(controlPlane, backends);
    }

    @Test
    @Order(1)
    void bothBackendsAnsweringAreUp() {
        assertThat(gauge("dp_storage_up")).hasValue(1.0);
        assertThat(gauge("dp_database_up")).hasValue(1.0);
    }

    @Test
    @Order(2)
    void theObjectStoreGoneIsStorageDownOnly() {
        backends.stopObjectStorage();

        await("dp_storage_up 0").atMost(NOTICED).until(() -> gauge("dp_storage_up").equals(OptionalDouble.of(0)));
        assertThat(gauge("dp_database_up")).hasValue(1.0);
    }

    @Test
    @Order(3)
    void theDatabaseGoneIsDatabaseDown() {
        backends.stopDatabase();

        await("dp_database_up 0").atMost(NOTICED).until(() -> gauge("dp_database_up").equals(OptionalDouble.of(0)));
        assertThat(gauge("dp_storage_up")).hasValue(0.0);
    }

    private static OptionalDouble gauge(String name) {
        String body = given().baseUri(controlPlane.baseUrl()).get("/-/metrics").then().statusCode(200)
                .extract().asString();
        Matcher matcher = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }
}

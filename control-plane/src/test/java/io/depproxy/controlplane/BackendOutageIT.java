package io.depproxy.controlplane;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.controlplane.support.ControlPlaneProcess;
import io.depproxy.controlplane.support.ReplicaBackends;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A packaged control plane whose object storage, then whose database, goes away: registry routes answer 503
 * UNAVAILABLE in the distribution-spec format, the admin API 503 {@code {"message"}}, promptly, never 500.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendOutageIT {
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    /** What "promptly" means here: well inside any client's retry budget. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private static ReplicaBackends backends;
    private static ControlPlaneProcess controlPlane;
    private static String group;
    private static String registryToken;

    @BeforeAll
    static void start() {
        backends = ReplicaBackends.start("dp-outage", ADMIN_TOKEN);
        controlPlane = ControlPlaneProcess.start("outage", backends.environment(Map.of()));
        group = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(controlPlane.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .formParam("name", group).formParam("path", group).post("/api/v4/groups").then().statusCode(201);
        registryToken = given().baseUri(controlPlane.baseUrl()).auth().preemptive().basic("root", ADMIN_TOKEN)
                .queryParam("service", "dependency_proxy").get("/jwt/auth").then().statusCode(200)
                .extract().path("token");
    }

    @AfterAll
    static void stop() throws Exception {
        ReplicaBackends.closeAll(controlPlane, backends);
    }

    @Test
    @Order(1)
    void objectStorageDownIsUnavailableOnTheUploadRoutes() {
        backends.stopObjectStorage();
        String manifest = "/v2/" + group + "/dependency_proxy/containers/app/manifests/latest";

        Response authorize = timed(() -> given().baseUri(controlPlane.baseUrl())
                .header(Headers.API_REQUEST, new InternalJwt(Golden.secret()).apiRequestToken())
                .post(manifest + "/upload/authorize"));
        assertRegistryUnavailable(authorize);
    }

    @Test
    @Order(2)
    void theDatabaseDownIsUnavailableOnRegistryTokenAndApiRoutes() {
        backends.stopDatabase();

        assertRegistryUnavailable(timed(() -> given().baseUri(controlPlane.baseUrl())
                .contentType("application/x-www-form-urlencoded")
                .body("grant_type=password&username=root&password=" + ADMIN_TOKEN + "&service=dependency_proxy")
                .post("/jwt/auth")));
        assertRegistryUnavailable(timed(() -> given().baseUri(controlPlane.baseUrl())
                .header("Authorization", "Bearer " + registryToken)
                .get("/v2/" + group + "/dependency_proxy/containers/app/blobs/" + Digests.sha256(new byte[] {7}))));
        timed(() -> given().baseUri(controlPlane.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .get("/api/v4/groups")).then().statusCode(503).contentType("application/json")
                .header("Retry-After", "5")
                .body("message", startsWith("503 Service Unavailable - the database is unavailable"));
    }

    @Test
    @Order(3)
    void theDatabaseDownIsUnavailableOnTheAdminPageOfASession() {
        String session = "s".repeat(43);
        for (String page : new String[] {"/admin/groups", "/admin/sign_in"}) {
            timed(() -> given().baseUri(controlPlane.baseUrl()).redirects().follow(false)
                    .cookie("dp_admin_session", session).get(page)).then().statusCode(503)
                    .contentType(containsString("text/html")).header("Retry-After", "5")
                    .body(containsString("the database is unavailable"));
        }
    }

    private static void assertRegistryUnavailable(Response response) {
        response.then().statusCode(503).contentType("application/json")
                .header(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE)
                .header("Retry-After", "5")
                .body("errors[0].code", equalTo("UNAVAILABLE"));
    }

    private static Response timed(Supplier<Response> call) {
        long started = System.nanoTime();
        Response response = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("answered within %s", PROMPTLY).isLessThan(PROMPTLY);
        return response;
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.s3Endpoint;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.HostileRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream in a group's list that answers the manifest HEAD with a redirect to somewhere no upstream call may go,
 * or that names a token realm on another host over http: the pull is 502 UNAVAILABLE saying an outbound destination
 * was refused (no address in it) and nothing is sent there. Administrators cannot save an upstream URL at a
 * link-local, metadata or own address.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class OutboundRefusalTest {
    static final String UPSTREAMS = "/api/v4/dependency_proxy/upstreams";

    private final HostileRegistry hostile = HostileRegistry.start();
    private final HostileRegistry elsewhere = HostileRegistry.start();

    @AfterEach
    void stop() {
        hostile.close();
        elsewhere.close();
    }

    /** A group whose only upstream is the hostile one. */
    static String groupUsing(HostileRegistry upstream) {
        long upstreamId = UpstreamsApiTest.createUpstream(unique("hostile") + ".test", upstream.baseUrl(), Map.of());
        String group = unique("outbound");
        long groupId = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstreamId)))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
        return group;
    }

    static void assertRefused(Response response) {
        response.then().statusCode(502);
        if (!response.asString().isEmpty()) { // a HEAD answer has no body
            assertThat(response.jsonPath().getString("errors[0].code")).isEqualTo("UNAVAILABLE");
            assertThat(response.jsonPath().getString("errors[0].message")).isEqualTo(OutboundRefused.CLIENT_MESSAGE);
            assertThat(response.asString()).doesNotContain("127.0.0.1", "169.254", "localhost", "# HELP",
                    HostileRegistry.SECRET);
        }
    }

    private String target(String name) {
        return switch (name) {
            case "another-port" -> elsewhere.baseUrl() + "/internal";
            case "control-plane" -> "http://127.0.0.1:" + RestAssured.port + "/-/metrics";
            case "object-store" -> s3Endpoint() + "/" + ControlPlaneTestResources.BUCKET + "/";
            default -> "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
        };
    }

    @ParameterizedTest(name = "redirect to {0}")
    @ValueSource(strings = {"another-port", "control-plane", "object-store", "metadata"})
    void aManifestRedirectedOutOfBoundsIsRefused(String where) {
        hostile.redirectTo(target(where));
        String group = groupUsing(hostile);
        String image = unique("app");

        assertRefused(asRoot().get(path(group, image, "manifests", "latest")));
        assertRefused(asRoot().head(path(group, image, "manifests", "latest")));

        assertThat(hostile.requests("/v2/" + image + "/manifests/latest")).hasSize(2);
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void aTokenRealmOnAnotherHostOverHttpIsNeverContactedNorRemembered() {
        hostile.challengeWithRealm("http://localhost:" + hostile.port() + "/token");
        String group = groupUsing(hostile);
        String image = unique("app");

        assertRefused(asRoot().get(path(group, image, "manifests", "latest")));
        assertRefused(asRoot().get(path(group, image, "manifests", "latest")));

        assertThat(hostile.requests("/token")).isEmpty();
        assertThat(hostile.requests("/v2/")).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://169.254.169.254", "http://[fe80::1]:5000", "http://0.0.0.0:5000",
            "control-plane", "object-store"})
    void anUpstreamUrlAtAnAddressNothingMayReachCannotBeSaved(String url) {
        String saved = switch (url) {
            case "control-plane" -> "http://localhost:" + RestAssured.port;
            case "object-store" -> s3Endpoint();
            default -> url;
        };

        Response response = asAdmin().contentType("application/json")
                .body(Map.of("name", unique("bad") + ".test", "url", saved)).post(UPSTREAMS);

        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("message")).contains("url points at an address no upstream may use");
    }

    @Test
    void anUpstreamOnLoopbackCanBeSaved() {
        UpstreamsApiTest.createUpstream(unique("loopback") + ".test", elsewhere.baseUrl(), Map.of());
    }
}

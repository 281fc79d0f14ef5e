package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.rootRegistryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RegistryPathValidationTest {
    static final String DIGEST = Digests.sha256("x".getBytes());
    static final String GROUP = "validation";

    @TestHTTPResource("/")
    URL base;

    record Case(String name, String rawPath, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalidPaths() {
        String containers = "/v2/" + GROUP + "/dependency_proxy/containers/";
        return Stream.of(
                new Case("upper-case image", containers + "Alpine/manifests/latest", "NAME_INVALID"),
                new Case("dot-dot in the image", containers + "a/../b/manifests/latest", "NAME_INVALID"),
                new Case("encoded slash in the image", containers + "library%2Falpine/manifests/latest", "NAME_INVALID"),
                new Case("dot-dot group segment", "/v2/" + GROUP + "/../dependency_proxy/containers/a/manifests/1",
                        "NAME_INVALID"),
                new Case("bad group character", "/v2/gr$up/dependency_proxy/containers/a/manifests/1", "NAME_INVALID"),
                new Case("no dependency_proxy marker", "/v2/" + GROUP + "/alpine/manifests/latest", "NAME_INVALID"),
                new Case("tags other than tags/list", containers + "alpine/tags/latest", "NAME_INVALID"),
                new Case("blob by tag", containers + "alpine/blobs/latest", "DIGEST_INVALID"),
                new Case("short blob digest", containers + "alpine/blobs/sha256:abc", "DIGEST_INVALID"),
                new Case("upper-case hex digest", containers + "alpine/blobs/" + DIGEST.toUpperCase(), "DIGEST_INVALID"),
                new Case("sha512 manifest digest", containers + "alpine/manifests/sha512:" + "a".repeat(128),
                        "DIGEST_INVALID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPaths")
    void rejectsPathsOutsideTheGrammarWith400Json(Case c) throws Exception {
        HttpResponse<byte[]> response = TestApi.rawGet(base.toString().replaceAll("/$", ""), c.rawPath(),
                "Bearer " + rootRegistryToken());
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        JsonNode body = ContractJson.mapper().readTree(response.body());
        assertThat(body.at("/errors/0/code").asText()).isEqualTo(c.code());
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {".INVALID_MANIFEST_NAME", "-bad", "tag!", "a:b:c"})
    void aManifestReferenceThatIsNeitherATagNorADigestIsManifestUnknown(String reference) throws Exception {
        HttpResponse<byte[]> response = TestApi.rawGet(base.toString().replaceAll("/$", ""),
                path(GROUP, "alpine", "manifests", reference), "Bearer " + rootRegistryToken());
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(404);
        JsonNode body = ContractJson.mapper().readTree(response.body());
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void anUnknownGroupIsNameUnknown() {
        asRoot().get(path(unique("nobody"), "alpine", "manifests", "latest"))
                .then().statusCode(404).contentType("application/json")
                .header("Docker-Distribution-Api-Version", "registry/2.0")
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void aGroupWithTheProxyDisabledIsNameUnknown() {
        String group = unique("disabled");
        long groupId = createGroup(group, null);
        asRoot().get(path(group, "alpine", "blobs", DIGEST)).then().statusCode(200);
        AdminApi.updateSettings(groupId, Map.of("enabled", false));
        asRoot().get(path(group, "alpine", "blobs", DIGEST))
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void withoutATokenEveryRegistryPathChallenges() {
        given().get(path(unique("any"), "Bad..Name", "manifests", "latest"))
                .then().statusCode(401).header("WWW-Authenticate", RegistryAuthTest.CHALLENGE);
    }

    @Test
    void anEncodedColonInADigestIsAccepted() {
        String group = unique("colon");
        createGroup(group, null);
        asRoot().urlEncodingEnabled(false).get(path(group, "alpine", "blobs", DIGEST.replace(":", "%3A")))
                .then().statusCode(200);
    }

    @Test
    void unknownRoutesAnswerJsonToo() {
        given().get("/api/v4/nothing").then().statusCode(404).body("message", equalTo("404 Not Found"));
        given().post("/v2/").then().statusCode(405).contentType("application/json");
    }
}

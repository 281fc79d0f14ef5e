package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mirror mode: the root registry routes answer for {@code DP_MIRROR_GROUP} as the group path would, {@code ?ns=}
 * picks the upstream, and pulls without a login are served only where a group allows them.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(MirrorModeTest.Mirror.class)
class MirrorModeTest {
    static final String MIRROR = "mirror-group";

    public static class Mirror implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dp.mirror-group", MIRROR);
        }
    }

    @InjectFakeRegistry
    FakeRegistry defaultUpstream;

    private static FakeRegistry other;
    private static String otherName;
    private static long mirrorId;
    private static long otherId;

    @BeforeEach
    void createMirrorAndAnotherUpstream() {
        if (other != null) {
            return;
        }
        mirrorId = createGroup(MIRROR, null);
        other = FakeRegistry.start();
        otherName = unique("other") + ".test";
        otherId = UpstreamsApiTest.createUpstream(otherName, other.baseUrl(),
                Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
        // as an administrator would for a registry every node pulls from (one with credentials starts closed)
        asAdmin().contentType("application/json").body(Map.of("open_to_all_groups", true))
                .put("/api/v4/dependency_proxy/upstreams/" + otherId).then().statusCode(200);
    }

    @AfterAll
    static void stopUpstream() {
        if (other != null) {
            other.close();
        }
    }

    private static byte[] manifest(String text) {
        return ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static SendDependency fetchOf(Response response) {
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }

    private static void allowAnonymous(long groupId, boolean allowed) {
        asAdmin().contentType("application/json").body(Map.of("anonymous_pull", allowed))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/settings")
                .then().statusCode(200).body("anonymous_pull", equalTo(allowed));
    }

    @Test
    void aDockerHubStyleRootRequestIsTheMirrorGroupsPullOfTheDefaultUpstream() {
        String image = unique("hub");
        defaultUpstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("hub"));
        String blob = defaultUpstream.putBlob("library/" + image, "hub-layer".getBytes(StandardCharsets.UTF_8));

        SendDependency manifest = fetchOf(asRoot().get("/v2/library/" + image + "/manifests/1"));
        assertThat(manifest.url()).isEqualTo(defaultUpstream.baseUrl() + "/v2/library/" + image + "/manifests/1");
        assertThat(manifest.uploadConfig().url())
                .startsWith(path(MIRROR, "library/" + image, "manifests", "1") + "/upload");
        SendDependency layer = fetchOf(asRoot().get("/v2/library/" + image + "/blobs/" + blob));
        assertThat(layer.url()).isEqualTo(defaultUpstream.baseUrl() + "/v2/library/" + image + "/blobs/" + blob);
        assertThat(layer.uploadConfig().url()).startsWith(path(MIRROR, "library/" + image, "blobs", blob) + "/upload");
    }

    @Test
    void containerdsNsPicksTheUpstreamByNameOrByHostAndPort() {
        String image = unique("ns");
        other.putManifest("org/" + image, "2", MediaTypes.OCI_MANIFEST, manifest("other"));
        URI otherUri = URI.create(other.baseUrl());

        for (String ns : List.of(otherName, otherUri.getHost() + ":" + otherUri.getPort())) {
            SendDependency fetch = fetchOf(asRoot().queryParam("ns", ns).get("/v2/org/" + image + "/manifests/2"));
            assertThat(fetch.url()).as(ns).isEqualTo(other.baseUrl() + "/v2/org/" + image + "/manifests/2");
            assertThat(fetch.uploadConfig().url()).as(ns)
                    .startsWith(path(MIRROR, otherName + "/org/" + image, "manifests", "2") + "/upload");
        }
        assertThat(defaultUpstream.requestsFor("org/" + image)).isEmpty();
    }

    @Test
    void aRegistryTheMirrorHasNoUpstreamForAndMalformedRequestsAreRegistryErrors() {
        asRoot().queryParam("ns", "quay.example").get("/v2/org/tool/manifests/1").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"))
                .body("errors[0].message", containsString("quay.example"));
        asRoot().queryParam("ns", "bad/host").get("/v2/org/tool/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"));
        asRoot().queryParam("ns", "a b").get("/v2/org/tool/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"));
        asRoot().get("/v2/org/tool/unknown/1").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        asRoot().get("/v2/org/tool/referrers/1").then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        asRoot().get("/v2/manifests/latest").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        asRoot().get("/v2/Upper/manifests/latest").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        asRoot().get("/v2/org/tool/blobs/latest").then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void nsOfAnUpstreamTheMirrorGroupMayNotUseIsAnsweredAsARegistryWithoutUpstreamUntilTheAdministratorListsIt() {
        try (FakeRegistry closed = FakeRegistry.start()) {
            String closedName = unique("closed") + ".test";
            long closedId = UpstreamsApiTest.createUpstream(closedName, closed.baseUrl(),
                    Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
            String image = unique("private");
            closed.putManifest("org/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("closed"));
            URI closedUri = URI.create(closed.baseUrl());

            for (String ns : List.of(closedName, closedUri.getHost() + ":" + closedUri.getPort())) {
                asRoot().queryParam("ns", ns).get("/v2/org/" + image + "/manifests/1").then().statusCode(404)
                        .body("errors[0].code", equalTo("NAME_UNKNOWN"))
                        .body("errors[0].message", equalTo("this mirror has no upstream for registry " + ns));
            }
            asRoot().get("/v2/" + closedName + "/org/" + image + "/manifests/1").then().statusCode(404)
                    .body("errors[0].code", equalTo("NAME_UNKNOWN"));
            assertThat(closed.requestsFor("org/" + image)).isEmpty();

            String list = "/api/v4/groups/" + mirrorId + "/dependency_proxy/upstreams";
            asAdmin().contentType("application/json")
                    .body(Map.of("upstream_ids", List.of(UpstreamsApiTest.defaultUpstreamId(), closedId)))
                    .put(list).then().statusCode(200);
            try {
                SendDependency fetch = fetchOf(asRoot().queryParam("ns", closedName)
                        .get("/v2/org/" + image + "/manifests/1"));
                assertThat(fetch.url()).isEqualTo(closed.baseUrl() + "/v2/org/" + image + "/manifests/1");
            } finally {
                asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of())).put(list)
                        .then().statusCode(200);
            }
        }
    }

    @Test
    void theRootReferrersRouteAnswersTheMirrorGroupsIndex() {
        String image = unique("refs");
        String subject = io.depproxy.contracts.Digests.sha256(image.getBytes(StandardCharsets.UTF_8));
        String sbom = io.depproxy.contracts.Digests.sha256((image + "-sbom").getBytes(StandardCharsets.UTF_8));
        defaultUpstream.putManifest("library/" + image, subject.replace(':', '-'), MediaTypes.OCI_INDEX,
                ReferrersTest.index(ReferrersTest.descriptor(sbom, ReferrersTest.SBOM_TYPE)));

        asRoot().get("/v2/library/" + image + "/referrers/" + subject).then().statusCode(200)
                .contentType(MediaTypes.OCI_INDEX).body("manifests.digest", equalTo(List.of(sbom)));
        asRoot().queryParam("artifactType", "text/plain").get("/v2/library/" + image + "/referrers/" + subject).then()
                .statusCode(200).header("OCI-Filters-Applied", "artifactType").body("manifests.size()", equalTo(0));
        asRoot().get("/v2/library/" + image + "/referrers/sha256:nope").then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void rootTagListsPageOnTheRootPathWithNsKept() {
        String image = unique("tags");
        String digest = null;
        for (String tag : List.of("a", "b", "c")) {
            digest = other.putManifest(image, tag, MediaTypes.OCI_MANIFEST, manifest("tags"));
        }
        storeThroughAccelerator(path(MIRROR, otherName + "/" + image, "manifests", "a"), manifest("tags"), digest,
                MediaTypes.OCI_MANIFEST, Long.toString(otherId)).then().statusCode(200);
        asRoot().queryParam("ns", otherName).queryParam("n", 2).get("/v2/" + image + "/tags/list").then()
                .statusCode(200).body("tags", equalTo(List.of("a", "b")))
                .header("Link", "</v2/" + image + "/tags/list?n=2&last=b&ns=" + otherName + ">; rel=\"next\"");
    }

    @Test
    void pullsWithoutALoginAreRefusedUntilTheGroupAllowsThem() {
        String image = unique("anon");
        defaultUpstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("anon"));
        String root = "/v2/library/" + image + "/manifests/1";
        String scope = "repository:library/" + image + ":pull";
        allowAnonymous(mirrorId, false);

        given().get("/v2/").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer realm="));
        given().get(root).then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .header("WWW-Authenticate", containsString("Bearer realm="));
        given().queryParam("scope", scope).get("/jwt/auth").then().statusCode(401);

        allowAnonymous(mirrorId, true);
        given().get("/v2/").then().statusCode(200);
        fetchOf(given().get(root));
        String token = given().queryParam("service", "dependency_proxy").queryParam("scope", scope).get("/jwt/auth")
                .then().statusCode(200).body("token", notNullValue()).extract().path("token");
        fetchOf(given().header("Authorization", "Bearer " + token).get(root));

        String closed = unique("closed");
        createGroup(closed, null);
        String closedPath = path(closed, "library/" + image, "manifests", "1");
        given().header("Authorization", "Bearer " + token).get(closedPath).then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().get(closedPath).then().statusCode(401);
        given().queryParam("scope", "repository:" + closed + "/dependency_proxy/containers/x:pull").get("/jwt/auth")
                .then().statusCode(401);
        given().get(path(unique("no-such-group"), "x", "manifests", "1")).then().statusCode(401);

        allowAnonymous(mirrorId, false);
        given().header("Authorization", "Bearer " + token).get(root).then().statusCode(401);
    }

    @Test
    void aGroupThatAllowsAnonymousPullsServesItsOwnPathWithoutALogin() {
        String group = unique("open");
        long id = createGroup(group, null);
        String image = unique("img");
        defaultUpstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("open"));
        String groupPath = path(group, image, "manifests", "1");
        given().get(groupPath).then().statusCode(401);
        allowAnonymous(id, true);
        fetchOf(given().get(groupPath));
        String token = given().queryParam("scope", "repository:" + group + "/dependency_proxy/containers/" + image
                + ":pull").get("/jwt/auth").then().statusCode(200).extract().path("token");
        fetchOf(given().header("Authorization", "Bearer " + token).get(groupPath));
        given().get(path(group, image, "manifests", "1")).then().statusCode(200);
    }
}

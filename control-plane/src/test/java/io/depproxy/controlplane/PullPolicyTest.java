package io.depproxy.controlplane;

import static io.depproxy.controlplane.PolicyApiTest.defaultUpstreamName;
import static io.depproxy.controlplane.PolicyApiTest.putPolicy;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pull policy on the registry routes: a denied pull (manifest by tag, blob, tag list; GET and HEAD) is 403 DENIED
 * naming the rule and the upstream is never asked; an allowed one goes on; with two upstreams in the group's order,
 * one the rules deny for an image is skipped.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class PullPolicyTest {
    private static final String NO_LATEST_THEN_LIBRARY = """
            {"rules": [{"action": "deny", "image": "*", "tag": "latest"},
                       {"action": "allow", "image": "library/*"}]}""";

    @InjectFakeRegistry
    FakeRegistry upstream;

    private static byte[] manifest(String text) {
        return ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String deniedMessage(io.restassured.response.Response response) {
        return response.then().statusCode(403).body("errors[0].code", equalTo("DENIED"))
                .extract().path("errors[0].message");
    }

    @Test
    void aDeniedPullIs403DeniedNamingTheRuleAndTheUpstreamIsNeverAsked() {
        String group = unique("acme");
        long groupId = createGroup(group, null);
        putPolicy(groupId, NO_LATEST_THEN_LIBRARY);
        String image = unique("web");
        upstream.putManifest("library/" + image, "latest", MediaTypes.OCI_MANIFEST, manifest("latest"));
        upstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("one"));
        String layer = upstream.putBlob("library/" + image, "layer".getBytes(StandardCharsets.UTF_8));
        String tool = unique("tool");
        upstream.putManifest("org/" + tool, "1", MediaTypes.OCI_MANIFEST, manifest("tool"));
        String toolLayer = upstream.putBlob("org/" + tool, "tool-layer".getBytes(StandardCharsets.UTF_8));
        String hub = defaultUpstreamName();

        assertThat(deniedMessage(asRoot().get(path(group, image, "manifests", "latest"))))
                .isEqualTo("pull of library/" + image + ":latest from " + hub + " is denied by rule 1"
                        + " (deny image \"*\" tag \"latest\") of the policy of group " + group);
        asRoot().head(path(group, image, "manifests", "latest")).then().statusCode(403);
        assertThat(deniedMessage(asRoot().get(path(group, "org/" + tool, "manifests", "1"))))
                .isEqualTo("pull of org/" + tool + ":1 from " + hub + " is denied by no rule matches and the policy"
                        + " has allow rules (an allow list denies what it does not name) of the policy of group "
                        + group);
        deniedMessage(asRoot().get(path(group, "org/" + tool, "blobs", toolLayer)));
        asRoot().head(path(group, "org/" + tool, "blobs", toolLayer)).then().statusCode(403);
        deniedMessage(asRoot().get(path(group, "org/" + tool, "tags", "list")));

        // allowed: a tag the rules let through, and the image's blobs (no tag, so the tag rule does not apply)
        SendDependency fetch = (SendDependency) injection(asRoot().get(path(group, image, "manifests", "1"))
                .then().statusCode(200).extract().response());
        assertThat(fetch.url()).endsWith("/v2/library/" + image + "/manifests/1");
        asRoot().get(path(group, image, "blobs", layer)).then().statusCode(200);

        // the allowed pulls reached the upstream; the denied ones never did
        assertThat(upstream.requestsFor("library/" + image)).anyMatch(r -> r.contains("/manifests/1"))
                .noneMatch(r -> r.contains("/manifests/latest"));
        assertThat(upstream.requestsFor("org/" + tool)).isEmpty();
    }

    @Test
    void aSubgroupIsJudgedByItsAncestorsPolicyAndAChangeAppliesAtOnce() {
        String parent = unique("parent");
        long parentId = createGroup(parent, null);
        String child = unique("child");
        createGroup(child, parentId);
        String image = unique("app");
        upstream.putManifest("library/" + image, "latest", MediaTypes.OCI_MANIFEST, manifest("app"));
        asRoot().get(path(parent + "/" + child, image, "manifests", "latest")).then().statusCode(200);

        putPolicy(parentId, NO_LATEST_THEN_LIBRARY);
        assertThat(deniedMessage(asRoot().get(path(parent + "/" + child, image, "manifests", "latest"))))
                .endsWith("of the policy of group " + parent);
        asAdmin().delete(PolicyApiTest.policyUrl(parentId)).then().statusCode(200);
        asRoot().get(path(parent + "/" + child, image, "manifests", "latest")).then().statusCode(200);
    }

    @Test
    void anUpstreamTheRulesDenyForAnImageIsLeftOutOfTheGroupsOrder() {
        try (FakeRegistry second = FakeRegistry.start()) {
            String secondName = unique("second") + ".test";
            long secondId = UpstreamsApiTest.createUpstream(secondName, second.baseUrl(),
                    Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
            String hub = defaultUpstreamName();
            long hubId = JsonPath.from(asAdmin().get("/api/v4/dependency_proxy/upstreams?per_page=100").asString())
                    .<Map<String, Object>>getList("").stream().filter(u -> hub.equals(u.get("name")))
                    .map(u -> ((Number) u.get("id")).longValue()).findFirst().orElseThrow();
            String group = unique("ordered");
            long groupId = createGroup(group, null);
            asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(hubId, secondId)))
                    .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
            putPolicy(groupId, "{\"rules\": [{\"action\": \"deny\", \"upstream\": \"" + hub
                    + "\", \"image\": \"org/*\"}]}");
            String image = "org/" + unique("tool");
            upstream.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("first"));
            second.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("second"));

            SendDependency fetch = (SendDependency) injection(asRoot().get(path(group, image, "manifests", "1"))
                    .then().statusCode(200).extract().response());
            assertThat(fetch.url()).isEqualTo(second.baseUrl() + "/v2/" + image + "/manifests/1");
            assertThat(upstream.requestsFor(image)).isEmpty();
            // by name, the denied upstream is the only one: refused
            assertThat(deniedMessage(asRoot().get(path(group, hub + "/" + image, "manifests", "1"))))
                    .contains("from " + hub + " is denied by rule 1 (deny upstream \"" + hub + "\" image \"org/*\")");
        }
    }
}

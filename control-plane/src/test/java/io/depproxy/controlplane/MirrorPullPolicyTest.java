package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pull policy on a mirror's root paths: the mirror group's rules judge {@code /v2/<image>/…} pulls. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(MirrorModeTest.Mirror.class)
class MirrorPullPolicyTest {
    @InjectFakeRegistry
    FakeRegistry upstream;

    @Test
    void aRootPathPullTheMirrorGroupsPolicyDeniesIs403DeniedAndTheUpstreamIsNotAsked() {
        long mirrorId = asAdmin().get("/api/v4/groups/" + MirrorModeTest.MIRROR).statusCode() == 200
                ? asAdmin().get("/api/v4/groups/" + MirrorModeTest.MIRROR).then().extract().jsonPath().getLong("id")
                : createGroup(MirrorModeTest.MIRROR, null);
        String denied = unique("blocked");
        String allowed = unique("fine");
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        upstream.putManifest("library/" + denied, "1", MediaTypes.OCI_MANIFEST, manifest);
        upstream.putManifest("library/" + allowed, "1", MediaTypes.OCI_MANIFEST, manifest);
        String policy = PolicyApiTest.policyUrl(mirrorId);
        PolicyApiTest.putPolicy(mirrorId, "{\"rules\": [{\"action\": \"deny\", \"image\": \"library/" + denied
                + "\"}]}");
        try {
            String message = asRoot().get("/v2/library/" + denied + "/manifests/1").then().statusCode(403)
                    .body("errors[0].code", equalTo("DENIED")).extract().path("errors[0].message");
            assertThat(message).contains("pull of library/" + denied + ":1 from ")
                    .endsWith("is denied by rule 1 (deny image \"library/" + denied + "\") of the policy of group "
                            + MirrorModeTest.MIRROR);
            asRoot().head("/v2/library/" + denied + "/manifests/1").then().statusCode(403);
            asRoot().get("/v2/library/" + allowed + "/manifests/1").then().statusCode(200);
            assertThat(upstream.requestsFor("library/" + denied)).isEmpty();
            assertThat(upstream.requestsFor("library/" + allowed)).isNotEmpty();
        } finally {
            asAdmin().delete(policy).then().statusCode(200);
        }
    }
}

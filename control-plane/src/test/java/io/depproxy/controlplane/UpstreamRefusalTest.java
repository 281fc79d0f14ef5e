package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.manifestHit;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream that refuses our credentials (401/403) is never passed on as our own challenge: the client holds a
 * valid token, and a 401 would send it round a login loop. Cached → stale copy; not cached → 404 NAME_UNKNOWN.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class UpstreamRefusalTest {
    private static final String REFUSED = "the upstream refused access: the repository does not exist or needs credentials";

    @InjectFakeRegistry
    FakeRegistry upstream;

    String group;
    long groupId;
    String image;
    String upstreamName;

    @BeforeEach
    void newGroupAndImage() {
        group = unique("refused");
        groupId = createGroup(group, null);
        image = unique("app");
        upstreamName = "library/" + image;
    }

    private void assertNameUnknown(Response response) {
        response.then().statusCode(404).contentType("application/json")
                .header("WWW-Authenticate", nullValue())
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {401, 403})
    void anUncachedTagRefusedUpstreamIsNameUnknownNotAChallenge(int status) {
        upstream.failRepository(upstreamName, status);
        try {
            Response get = asRoot().get(path(group, image, "manifests", "latest"));
            assertNameUnknown(get);
            assertThat(get.jsonPath().getString("errors[0].message")).isEqualTo(REFUSED);
            asRoot().head(path(group, image, "manifests", "latest")).then().statusCode(404)
                    .header("WWW-Authenticate", nullValue());
            asRoot().head(path(group, image, "blobs", Digests.sha256(new byte[] {1}))).then().statusCode(404)
                    .header("WWW-Authenticate", nullValue());
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }

    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {401, 403})
    void aCachedTagRefusedUpstreamIsServedStale(int status) {
        byte[] bytes = "{\"v\":\"cached\"}".getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putManifest(upstreamName, "edge", MediaTypes.OCI_INDEX, bytes);
        storeThroughAccelerator(path(group, image, "manifests", "edge"), bytes, digest, MediaTypes.OCI_INDEX)
                .then().statusCode(200);
        upstream.failRepository(upstreamName, status);
        try {
            Response stale = asRoot().get(path(group, image, "manifests", "edge"));
            assertThat(manifestHit(stale, bytes, digest, MediaTypes.OCI_INDEX)).isEqualTo("stale");
            assertThat(stale.header("Warning")).isEqualTo("110 - \"Response is Stale\"");
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }

    @org.junit.jupiter.api.Test
    void aTokenServiceRefusingTheGroupsCredentialsIsNameUnknownNotUnavailable() {
        upstream.putManifest(upstreamName, "1.0", MediaTypes.OCI_INDEX, "{}".getBytes(StandardCharsets.UTF_8));
        AdminApi.updateSettings(groupId, Map.of("identity", "someone", "secret", "wrong-password"));

        assertNameUnknown(asRoot().get(path(group, image, "manifests", "1.0")));
        assertNameUnknown(asRoot().get(path(group, image, "blobs", Digests.sha256(new byte[] {2}))));
    }
}

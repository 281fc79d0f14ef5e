package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two upstreams of one group announce the same digest (one of them may be hostile): their fetches never share a
 * Coalesce key, nor do two repositories of one upstream, so no pull is served another upstream's unverified bytes.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class CoalesceKeyTest {
    private static FakeRegistry honest;
    private static FakeRegistry hostile;
    private static String honestName;
    private static String hostileName;
    private static long honestId;
    private static long hostileId;

    @BeforeEach
    void registerUpstreams() {
        if (honest != null) {
            return;
        }
        honest = FakeRegistry.start();
        hostile = FakeRegistry.start();
        honestName = unique("honest") + ".test";
        hostileName = unique("hostile") + ".test";
        Map<String, Object> credentials = Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD);
        honestId = UpstreamsApiTest.createUpstream(honestName, honest.baseUrl(), credentials);
        hostileId = UpstreamsApiTest.createUpstream(hostileName, hostile.baseUrl(), credentials);
    }

    @AfterAll
    static void stopUpstreams() {
        if (honest != null) {
            honest.close();
            hostile.close();
        }
    }

    @Test
    void aTagBothUpstreamsAnnounceWithOneDigestIsFetchedUnderTwoKeys() {
        String image = unique("popular");
        byte[] manifest = "{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
        String digest = honest.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest);
        hostile.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest);
        String group = groupUsingBoth();

        SendDependency fromHonest = fetchOf(asRoot().get(path(group, honestName + "/" + image, "manifests", "1")));
        SendDependency fromHostile = fetchOf(asRoot().get(path(group, hostileName + "/" + image, "manifests", "1")));

        assertThat(fromHonest.coalesce()).isNotEqualTo(fromHostile.coalesce())
                .contains(":" + honestId + ":" + image + "@" + digest);
        assertThat(fromHostile.coalesce()).contains(":" + hostileId + ":" + image + "@" + digest);
    }

    @Test
    void aDigestBothUpstreamsServeIsFetchedUnderTwoKeysForManifestsAndBlobs() {
        String image = unique("shared");
        byte[] layer = ("layer-" + image).getBytes(StandardCharsets.UTF_8);
        String blob = honest.putBlob(image, layer);
        hostile.putBlob(image, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"v\":\"" + image + "\"}").getBytes(StandardCharsets.UTF_8);
        String manifestDigest = honest.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest);
        hostile.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest);
        String group = groupUsingBoth();

        assertThat(fetchOf(asRoot().get(path(group, honestName + "/" + image, "blobs", blob))).coalesce())
                .isNotEqualTo(fetchOf(asRoot().get(path(group, hostileName + "/" + image, "blobs", blob))).coalesce());
        assertThat(fetchOf(asRoot().get(path(group, honestName + "/" + image, "manifests", manifestDigest))).coalesce())
                .isNotEqualTo(fetchOf(asRoot().get(path(group, hostileName + "/" + image, "manifests", manifestDigest)))
                        .coalesce());
    }

    @Test
    void oneDigestInTwoRepositoriesOfOneUpstreamIsFetchedUnderTwoKeys() {
        String image = unique("repo");
        byte[] layer = ("common-" + image).getBytes(StandardCharsets.UTF_8);
        String blob = honest.putBlob(image + "-a", layer);
        honest.putBlob(image + "-b", layer);
        String group = groupUsingBoth();

        String keyA = fetchOf(asRoot().get(path(group, honestName + "/" + image + "-a", "blobs", blob))).coalesce();
        String keyB = fetchOf(asRoot().get(path(group, honestName + "/" + image + "-b", "blobs", blob))).coalesce();

        assertThat(keyA).isNotEqualTo(keyB).endsWith(":" + image + "-a@" + blob);
    }

    /** A group whose own list names both upstreams, so a pull may name either. */
    private static String groupUsingBoth() {
        String group = unique("keys");
        long id = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(honestId, hostileId)))
                .put("/api/v4/groups/" + id + "/dependency_proxy/upstreams").then().statusCode(200);
        return group;
    }

    private static SendDependency fetchOf(Response response) {
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }
}

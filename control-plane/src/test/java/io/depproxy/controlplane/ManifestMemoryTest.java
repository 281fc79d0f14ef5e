package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.manifestHit;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Manifest hits answered from the bytes the control plane holds: exactly what the accelerator would have sent from
 * storage (body, Content-Type, Content-Length, Docker-Content-Digest), and never bytes that fail their digest.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ManifestMemoryTest {
    @Inject
    ObjectStorage storage;

    @Test
    void aManifestHitIsTheStoredBodyByteForByteWithTheHeadersOfTheStoredCopy() {
        String group = unique("memory");
        createGroup(group, null);
        byte[] bytes = ("{\"schemaVersion\":2,\"memory\":\"" + unique("m") + "\"}\n").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String manifestPath = path(group, "app", "manifests", digest);
        storeThroughAccelerator(manifestPath, bytes, digest, MediaTypes.DOCKER_MANIFEST).then().statusCode(200);

        Response first = asRoot().get(manifestPath);
        Response second = asRoot().get(manifestPath);
        Response head = asRoot().head(manifestPath);

        assertThat(manifestHit(first, bytes, digest, MediaTypes.DOCKER_MANIFEST)).isEqualTo("hit");
        assertThat(manifestHit(second, bytes, digest, MediaTypes.DOCKER_MANIFEST)).isEqualTo("hit");
        head.then().statusCode(200).header("Content-Length", String.valueOf(bytes.length))
                .header("Content-Type", MediaTypes.DOCKER_MANIFEST).header(Headers.DOCKER_CONTENT_DIGEST, digest);
    }

    @Test
    void aStoredObjectThatDoesNotHashToItsDigestIsLeftToTheAcceleratorToVerify() {
        String group = unique("memory");
        long groupId = createGroup(group, null);
        byte[] bytes = ("{\"schemaVersion\":2,\"tampered\":\"" + unique("m") + "\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String manifestPath = path(group, "app", "manifests", digest);
        storeThroughAccelerator(manifestPath, bytes, digest, MediaTypes.OCI_MANIFEST).then().statusCode(200);
        byte[] tampered = bytes.clone();
        tampered[tampered.length - 3] ^= 1;
        String key = ObjectKeys.manifest(groupId, digest);
        assertThat(TestApi.put(storage.presignPut(key, Duration.ofMinutes(1)), tampered).statusCode()).isEqualTo(200);

        Response response = asRoot().get(manifestPath);

        response.then().statusCode(200);
        assertThat(response.asByteArray()).as("no body from the control plane").isEmpty();
        SendUrl send = (SendUrl) injection(response);
        assertThat(send.digest()).as("the accelerator verifies the bytes against it").isEqualTo(digest);
        assertThat(send.responseHeaders().first(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
    }
}

package io.depproxy.accelerator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries {@code X-Content-Type-Options: nosniff} exactly once: the control plane's relayed answers
 * (which carry it themselves), the injections' and the accelerator's own, refusals included.
 */
class ContentTypeOptionsTest extends AcceleratorTestBase {

    @Test
    void relayedRegistryApiAndAdminPageAnswersCarryItOnce() {
        controlPlane.answer("/v2/", request -> request.response().setStatusCode(401)
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Type", "application/json")
                .end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));
        controlPlane.answer("/api/v4/groups", request -> request.response()
                .putHeader("Content-Type", "application/json").end("[]"));
        controlPlane.answer("/admin/sign-in", request -> request.response()
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Type", "text/html")
                .end("<html>sign in</html>"));

        assertNoSniffOnce(get("/v2/"));
        assertNoSniffOnce(get("/api/v4/groups"));
        assertNoSniffOnce(get("/admin/sign-in"));
    }

    @Test
    void aSendUrlHitAndAMissCarryIt() {
        Buffer bytes = randomBytes(64 * 1024, 60);
        String digest = digestOf(bytes);
        store.put("dependency_proxy/1/blobs/sha256/x", bytes);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(store.url("dependency_proxy/1/blobs/sha256/x", "sig=get"),
                HeaderMap.single("Content-Type", MediaTypes.OCTET_STREAM)));
        ClientResponse hit = get(blobPath(digest));

        Buffer other = randomBytes(64 * 1024, 61);
        String otherDigest = digestOf(other);
        upstream.serve("/blob", FakeUpstream.blob(other));
        controlPlane.inject(blobPath(otherDigest), blobMiss("/blob", otherDigest, null));
        ClientResponse miss = get(blobPath(otherDigest));

        assertThat(hit.body()).isEqualTo(bytes);
        assertNoSniffOnce(hit);
        assertThat(miss.body()).isEqualTo(other);
        assertNoSniffOnce(miss);
    }

    @Test
    void theAcceleratorsOwnAnswersAndRefusalsCarryIt() {
        assertNoSniffOnce(get("/-/health/live"));
        assertNoSniffOnce(get("/-/metrics"));
        assertNoSniffOnce(get("/nowhere"));
        assertNoSniffOnce(get("/v2/acme/dependency_proxy/containers/../../etc/manifests/latest"));
        String digest = digestOf(Buffer.buffer("down"));
        upstream.serve("/blob", FakeUpstream.json(500, "{}"));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));
        assertNoSniffOnce(get(blobPath(digest)));
    }

    private static void assertNoSniffOnce(ClientResponse response) {
        assertThat(response.headers().getAll("X-Content-Type-Options")).as("status %d", response.status())
                .containsExactly("nosniff");
    }
}

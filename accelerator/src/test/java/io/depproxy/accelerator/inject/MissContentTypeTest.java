package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;

/** A miss's Content-Type comes from the registry's media-type list, never from what the upstream chose. */
class MissContentTypeTest extends AcceleratorTestBase {

    @Test
    void aBlobServedAsHtmlReachesTheClientAsOctetStream() {
        Buffer page = Buffer.buffer("<html><script>alert(document.cookie)</script></html>");
        String digest = digestOf(page);
        upstream.serve("/blob", served("text/html", page));
        controlPlane.inject(blobPath(digest), decided(blobMiss("/blob", digest, null), MediaTypes.OCTET_STREAM));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isTrue();
        assertThat(response.body()).isEqualTo(page);
        assertThat(response.header("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
    }

    @Test
    void withoutTheControlPlanesDecisionAnUnknownTypeIsOctetStreamToo() {
        Buffer page = Buffer.buffer("<html>older control plane</html>");
        String digest = digestOf(page);
        upstream.serve("/blob", served("text/html; charset=utf-8", page));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        assertThat(get(blobPath(digest)).header("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
    }

    @Test
    void aManifestKeepsAKnownTypeTheUpstreamAnnounced() {
        Buffer index = Buffer.buffer("{\"schemaVersion\":2,\"manifests\":[]}");
        String digest = digestOf(index);
        upstream.serve("/manifest", served(MediaTypes.OCI_INDEX, index));
        controlPlane.inject(manifestPath(digest), decided(blobMiss("/manifest", digest, null), MediaTypes.OCI_MANIFEST));

        assertThat(get(manifestPath(digest)).header("Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
    }

    @Test
    void aManifestServedWithAnotherTypeTakesTheTypeItsBodyNames() {
        Buffer list = Buffer.buffer("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST
                + "\",\"manifests\":[]}");
        String digest = digestOf(list);
        upstream.serve("/manifest", served("text/html", list));
        controlPlane.inject(manifestPath(digest), decided(blobMiss("/manifest", digest, null), MediaTypes.OCI_MANIFEST));

        ClientResponse response = get(manifestPath(digest));

        assertThat(response.completeOk()).isTrue();
        assertThat(response.body()).isEqualTo(list);
        assertThat(response.header("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Test
    void aManifestWhoseBodyNamesNoKnownTypeTakesTheControlPlanesType() {
        Buffer page = Buffer.buffer("{\"mediaType\":\"text/html\",\"x\":\"<script>alert(1)</script>\"}");
        String digest = digestOf(page);
        upstream.serve("/manifest", served("text/html", page));
        controlPlane.inject(manifestPath(digest), decided(blobMiss("/manifest", digest, null), MediaTypes.DOCKER_MANIFEST));

        assertThat(get(manifestPath(digest)).header("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    private static SendDependency decided(SendDependency dependency, String contentType) {
        return new SendDependency(dependency.url(), dependency.headers(),
                dependency.responseHeaders().with("Content-Type", contentType), dependency.uploadConfig(),
                dependency.digest(), dependency.coalesce(), dependency.maximumSize());
    }

    private static Handler<HttpServerRequest> served(String contentType, Buffer body) {
        return request -> request.response().putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(body.length())).end(body);
    }

    private static String manifestPath(String digest) {
        return GROUP_PATH + "/manifests/" + digest;
    }
}

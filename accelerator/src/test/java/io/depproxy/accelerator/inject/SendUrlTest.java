package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cache hits: the object is streamed from its presigned URL, or the client is redirected there. */
class SendUrlTest extends AcceleratorTestBase {
    private final Buffer bytes = randomBytes(1024 * 1024, 30);
    private final String digest = digestOf(bytes);

    @Test
    void streamsTheStoredObjectWithTheControlPlanesHeaders() {
        store.put("dependency_proxy/1/blobs/sha256/x", bytes);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(objectUrl(), hitHeaders()));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.header("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(bytes.length()));
        assertThat(response.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
        assertThat(response.header(Headers.CACHE_STATUS)).isEqualTo("hit");
        assertThat(response.header("ETag")).isEqualTo("\"stored\"");
        assertThat(response.header(Headers.SEND_DATA)).isNull();
    }

    @Test
    void passesRangeThroughAndAnswers206() {
        store.put("dependency_proxy/1/blobs/sha256/x", bytes);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(objectUrl(), hitHeaders()));

        ClientResponse response = get(blobPath(digest), "Range", "bytes=100-1099");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(bytes.slice(100, 1100));
        assertThat(response.header("Content-Range")).isEqualTo("bytes 100-1099/" + bytes.length());
        assertThat(response.header("Content-Length")).isEqualTo("1000");
        assertThat(response.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
    }

    @Test
    void redirectsWith307WhenAsked() {
        controlPlane.inject(blobPath(digest), SendUrl.redirectTo(objectUrl(), hitHeaders()));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(307);
        assertThat(response.header("Location")).isEqualTo(objectUrl());
        assertThat(response.header(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
        assertThat(store.requests("GET")).isEmpty();
    }

    @Test
    void answersBlobUnknownWhenStorageHasNoObject() {
        controlPlane.inject(blobPath(digest), SendUrl.proxy(objectUrl(), hitHeaders()));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).contains("\"code\":\"BLOB_UNKNOWN\"");
    }

    @Test
    void answersManifestUnknownForManifestPaths() {
        String manifestPath = GROUP_PATH + "/manifests/" + digest;
        controlPlane.inject(manifestPath, SendUrl.proxy(objectUrl(), hitHeaders()));

        ClientResponse response = get(manifestPath);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).contains("\"code\":\"MANIFEST_UNKNOWN\"");
    }

    @Test
    void answers503WhenStorageIsUnreachable() {
        controlPlane.inject(blobPath(digest), SendUrl.proxy("http://127.0.0.1:1/bucket/x?X-Amz-Signature=s",
                hitHeaders()));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void answersHeadWithoutBody() {
        store.put("dependency_proxy/1/blobs/sha256/x", bytes);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(objectUrl(), hitHeaders()));

        ClientResponse response = call(port, HttpMethod.HEAD, blobPath(digest));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().length()).isZero();
        assertThat(store.requests("HEAD")).hasSize(1);
    }

    private String objectUrl() {
        return store.url("dependency_proxy/1/blobs/sha256/x", "X-Amz-Signature=get");
    }

    private HeaderMap hitHeaders() {
        return HeaderMap.of(Map.of("Content-Type", List.of(MediaTypes.OCTET_STREAM),
                Headers.DOCKER_CONTENT_DIGEST, List.of(digest),
                Headers.DISTRIBUTION_API_VERSION, List.of(Headers.DISTRIBUTION_API_VERSION_VALUE),
                Headers.CACHE_STATUS, List.of("hit")));
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.authorize;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.finalizeUpload;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.MultipartUpload;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class BlobFlowTest {
    @InjectFakeRegistry
    FakeRegistry upstream;

    @Test
    void aMissTellsTheAcceleratorToFetchVerifyAndStore() {
        String group = unique("blobs");
        long groupId = createGroup(group, null);
        String image = unique("miss");
        String digest = upstream.putBlob("library/" + image, "layer bytes".getBytes());
        String blobPath = path(group, image, "blobs", digest);

        Response response = asRoot().get(blobPath);
        response.then().statusCode(200).header("Docker-Distribution-Api-Version", "registry/2.0");
        assertThat(response.asByteArray()).isEmpty();

        SendDependency fetch = (SendDependency) injection(response);
        assertThat(fetch.url()).isEqualTo(upstream.baseUrl() + "/v2/library/" + image + "/blobs/" + digest);
        assertThat(fetch.headers().first("Authorization")).startsWith("Bearer tok-");
        assertThat(fetch.headers().all("Accept")).isEmpty();
        // a blob is application/octet-stream whatever the upstream calls it
        assertThat(fetch.responseHeaders()).isEqualTo(HeaderMap.empty().with("Content-Type", MediaTypes.OCTET_STREAM)
                .with("Docker-Distribution-Api-Version", "registry/2.0").with("X-Dependency-Proxy-Cache", "miss"));
        assertThat(fetch.uploadConfig().url()).isEqualTo(blobPath + "/upload");
        // the upload names the upstream the bytes come from (the default one here), for the record
        assertThat(fetch.uploadConfig().headers().first(Headers.UPSTREAM_ID)).matches("[0-9]+");
        assertThat(fetch.digest()).isEqualTo(digest);
        // shared only with fetches of the same digest from the same upstream and repository
        assertThat(fetch.coalesce()).isEqualTo("blob:" + groupId + ":" + fetch.uploadConfig().headers()
                .first(Headers.UPSTREAM_ID) + ":library/" + image + "@" + digest);
        // the upstream may send no more than a blob may be: the accelerator stops it there
        assertThat(fetch.maximumSize()).isEqualTo(AuthorizeResponse.MAX_BLOB_SIZE);
    }

    @Test
    void aStoredBlobIsServedFromStorageWithoutAskingTheUpstream() {
        String group = unique("blobs");
        createGroup(group, null);
        String image = unique("hit");
        byte[] bytes = "a cached layer".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String blobPath = path(group, image, "blobs", digest);

        AuthorizeResponse authorized = authorize(blobPath, (long) bytes.length);
        assertThat(authorized.maximumSize()).isEqualTo(AuthorizeResponse.MAX_BLOB_SIZE);
        assertThat(authorized.remoteObject().timeoutSeconds()).isEqualTo(14_400);
        assertThat(authorized.remoteObject().multipartUpload()).isNull();
        assertThat(authorized.remoteObject().storeUrl()).startsWith(TestApi.s3Endpoint() + "/");
        assertThat(TestApi.put(authorized.remoteObject().storeUrl(), bytes).statusCode()).isEqualTo(200);
        finalizeUpload(blobPath, TestApi.uploaded(authorized, bytes), internalJwt(), null, null)
                .then().statusCode(200).body(equalTo("{}"));
        assertThat(TestApi.get(authorized.remoteObject().getUrl()).statusCode())
                .as("the temporary object is deleted").isEqualTo(404);

        Response response = asRoot().get(blobPath);
        response.then().statusCode(200);
        SendUrl send = (SendUrl) injection(response);
        assertThat(send.url()).startsWith(TestApi.s3Endpoint() + "/" + ControlPlaneTestResources.BUCKET + "/");
        assertThat(send.redirect()).isFalse();
        assertThat(send.responseHeaders().first("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
        assertThat(send.responseHeaders().first(Headers.DOCKER_CONTENT_DIGEST)).isEqualTo(digest);
        assertThat(send.responseHeaders().first(Headers.CACHE_STATUS)).isEqualTo("hit");
        assertThat(send.responseHeaders().first(Headers.DISTRIBUTION_API_VERSION)).isEqualTo("registry/2.0");
        assertThat(TestApi.get(send.url()).body()).isEqualTo(bytes);
        assertThat(upstream.requestsFor("library/" + image)).isEmpty();
    }

    @Test
    void theSendUrlOfABlobHitCarriesTheObjectsDigestForTheAcceleratorsLocalCopy() {
        String group = unique("blobs");
        createGroup(group, null);
        byte[] bytes = ("hot layer " + unique("x")).getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String blobPath = path(group, unique("hot"), "blobs", digest);
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);

        SendUrl send = (SendUrl) injection(asRoot().get(blobPath));
        assertThat(send.digest()).isEqualTo(digest);
        assertThat(TestApi.get(send.url()).body()).as("the object behind the URL hashes to it").isEqualTo(bytes);
    }

    @Test
    void aHeadOnACachedBlobIsAnsweredFromTheRecord() {
        String group = unique("blobs");
        createGroup(group, null);
        String image = unique("head-hit");
        byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String blobPath = path(group, image, "blobs", digest);
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);

        asRoot().head(blobPath).then().statusCode(200)
                .header("Content-Length", "12")
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header(Headers.DOCKER_CONTENT_DIGEST, digest)
                .header("Docker-Distribution-Api-Version", "registry/2.0")
                .header(Headers.SEND_DATA, nullValue());
        assertThat(upstream.requestsFor("library/" + image)).isEmpty();
    }

    @Test
    void aHeadOnAnUncachedBlobAsksTheUpstreamWithAHeadOnly() {
        String group = unique("blobs");
        createGroup(group, null);
        String image = unique("head-miss");
        String digest = upstream.putBlob("library/" + image, new byte[1234]);

        asRoot().head(path(group, image, "blobs", digest)).then().statusCode(200)
                .header("Content-Length", "1234")
                .header(Headers.DOCKER_CONTENT_DIGEST, digest)
                .header(Headers.SEND_DATA, nullValue());
        assertThat(upstream.requestsFor("library/" + image))
                .containsExactly("HEAD /v2/library/" + image + "/blobs/" + digest);

        String unknown = Digests.sha256("nowhere".getBytes());
        asRoot().head(path(group, image, "blobs", unknown)).then().statusCode(404);
    }

    @Test
    void anUnknownLengthGetsAPresignedMultipartUploadTheStorageAccepts() {
        String group = unique("blobs");
        createGroup(group, null);
        String image = unique("multipart");
        byte[] bytes = "streamed without a length".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String blobPath = path(group, image, "blobs", digest);

        AuthorizeResponse authorized = authorize(blobPath, null);
        MultipartUpload multipart = authorized.remoteObject().multipartUpload();
        assertThat(multipart.partSize()).isEqualTo(57_671_680L);
        assertThat(multipart.partUrls()).hasSize(100);
        HttpResponse<byte[]> part = TestApi.put(multipart.partUrls().get(0), bytes);
        assertThat(part.statusCode()).isEqualTo(200);
        String etag = part.headers().firstValue("ETag").orElseThrow();
        String complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + etag
                + "</ETag></Part></CompleteMultipartUpload>";
        HttpResponse<byte[]> completed = TestApi.send(HttpRequest.newBuilder(URI.create(multipart.completeUrl()))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString(complete)));
        assertThat(completed.statusCode()).as(new String(completed.body())).isEqualTo(200);

        finalizeUpload(blobPath, TestApi.uploaded(authorized, bytes), internalJwt(), null, null)
                .then().statusCode(200);
        SendUrl send = (SendUrl) injection(asRoot().get(blobPath));
        assertThat(TestApi.get(send.url()).body()).isEqualTo(bytes);
    }

    @Test
    void aManifestUploadWithoutLengthGetsTwoPartsOfFiveMebibytes() {
        String group = unique("blobs");
        createGroup(group, null);
        AuthorizeResponse authorized = authorize(path(group, "busybox", "manifests", "latest"), null);
        assertThat(authorized.maximumSize()).isEqualTo(AuthorizeResponse.MAX_MANIFEST_SIZE);
        assertThat(authorized.remoteObject().multipartUpload().partSize()).isEqualTo(5L * 1024 * 1024);
        assertThat(authorized.remoteObject().multipartUpload().partUrls()).hasSize(2);
        HttpResponse<byte[]> aborted = TestApi.send(HttpRequest.newBuilder(
                URI.create(authorized.remoteObject().multipartUpload().abortUrl())).DELETE());
        assertThat(List.of(200, 204)).contains(aborted.statusCode());
    }
}

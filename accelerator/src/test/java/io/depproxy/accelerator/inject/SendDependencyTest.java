package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.UploadedFile;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendDependencyTest extends AcceleratorTestBase {
    private static final String TEMP_KEY = "tmp/uploads/tmp-1";
    private final InternalJwt jwt = new InternalJwt(Golden.secret());

    @Test
    void streamsKnownLengthBlobToClientAndStoresItWithOnePut() {
        Buffer bytes = randomBytes(3 * 1024 * 1024 + 17, 1);
        String digest = digestOf(bytes);
        upstream.serve("/v2/library/alpine/blobs/" + digest, FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/v2/library/alpine/blobs/" + digest, digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completed()).isTrue();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(bytes.length()));
        assertThat(response.header(Headers.CACHE_STATUS)).isEqualTo("miss");
        assertThat(response.header(Headers.SEND_DATA)).isNull();
        UploadedFile finalized = awaitFinalizedFile();
        assertThat(finalized.size()).isEqualTo(bytes.length());
        assertThat(finalized.sha256Hex()).isEqualTo(hexOf(bytes));
        assertThat(finalized.remoteId()).isEqualTo("tmp-1");
        assertThat(store.requests("PUT")).hasSize(1);
        assertThat(store.object(TEMP_KEY)).isEqualTo(bytes);
        RecordedRequest authorize = controlPlane.authorizeCalls().get(0);
        assertThat(authorize.header(Headers.UPLOAD_LENGTH)).isEqualTo(Integer.toString(bytes.length()));
        jwt.verifyApiRequest(authorize.header(Headers.API_REQUEST));
        assertThat(upstream.requests("/v2/library/alpine/blobs/" + digest).get(0).header("Authorization"))
                .isEqualTo("Bearer upstream-token");
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
    }

    @Test
    void storesChunkedBlobAsMultipartUpload() {
        Buffer bytes = randomBytes(11 * 1024 * 1024 + 5, 2);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.chunked(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.header("Content-Length")).isNull();
        UploadedFile finalized = awaitFinalizedFile();
        assertThat(finalized.size()).isEqualTo(bytes.length());
        assertThat(finalized.sha256Hex()).isEqualTo(hexOf(bytes));
        assertThat(controlPlane.authorizeCalls().get(0).header(Headers.UPLOAD_LENGTH)).isNull();
        List<RecordedRequest> parts = store.requests("PUT");
        assertThat(parts).extracting(RecordedRequest::uri).allMatch(uri -> uri.contains("partNumber="));
        assertThat(parts).extracting(part -> part.body().length()).containsExactly(5 << 20, 5 << 20, (1 << 20) + 5);
        String complete = store.requests("POST").get(0).bodyText();
        assertThat(complete).isEqualTo("<CompleteMultipartUpload>"
                + "<Part><PartNumber>1</PartNumber><ETag>\"etag-1\"</ETag></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>\"etag-2\"</ETag></Part>"
                + "<Part><PartNumber>3</PartNumber><ETag>\"etag-3\"</ETag></Part></CompleteMultipartUpload>");
        assertThat(store.object(TEMP_KEY)).isEqualTo(bytes);
    }

    @Test
    void answersAnUpstream404InItsOwnWordsWithTheUpstreamsCodeAndStoresNothing() {
        String digest = digestOf(Buffer.buffer("missing"));
        String error = "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}";
        upstream.serve("/blob", FakeUpstream.json(404, error));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).isEqualTo(
                "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"the upstream registry answered 404\"}]}");
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        Await.await("the request and its fetch over")
                .until(() -> shared.work().streams() == 0 && spoolIsEmpty());
        assertThat(storesEnded(0)).as("no store begun").isTrue();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
    }

    @Test
    void replacesNonJsonUpstreamErrorWithRegistryError() {
        String digest = digestOf(Buffer.buffer("teapot"));
        upstream.serve("/blob", request -> request.response().setStatusCode(404).end("<html>not here</html>"));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).contains("json");
        assertThat(response.bodyText()).contains("\"code\":\"NAME_UNKNOWN\"").doesNotContain("<html>");
    }

    @Test
    void resetsClientAndStoresNothingWhenDigestDoesNotMatch() {
        Buffer promised = randomBytes(2 * 1024 * 1024, 3);
        Buffer served = randomBytes(2 * 1024 * 1024, 4);
        String digest = digestOf(promised);
        upstream.serve("/blob", FakeUpstream.blob(served));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        Await.await("the fetch over and its store given up").until(() -> spoolIsEmpty() && storesEnded(1));
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(store.object(TEMP_KEY)).isNull();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    @Test
    void doesNotFinalizeWhenUpstreamBodyIsShort() {
        Buffer bytes = randomBytes(1024 * 1024, 5);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.shortBody(bytes.slice(0, 600_000), bytes.length()));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        Await.await("the fetch over and its store given up").until(() -> spoolIsEmpty() && storesEnded(1));
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(store.object(TEMP_KEY)).isNull();
    }

    @Test
    void servesClientButStoresNothingWhenAuthorizeIsRefused() {
        Buffer bytes = randomBytes(1024 * 1024, 6);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.refuseAuthorize(403);
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        Await.await("upload failure counted").until(() -> shared.metrics().uploadFailures() == 1);
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    private UploadedFile awaitFinalizedFile() {
        Await.await("finalize").until(() -> controlPlane.finalizeCalls().size() == 1);
        RecordedRequest finalize = controlPlane.finalizeCalls().get(0);
        assertThat(finalize.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        jwt.verifyApiRequest(finalize.header(Headers.API_REQUEST));
        return FinalizeForm.verify(FinalizeForm.parse(finalize.bodyText()), jwt, finalize.path());
    }
}

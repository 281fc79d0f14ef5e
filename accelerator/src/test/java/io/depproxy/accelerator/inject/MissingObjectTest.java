package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A send-url whose object answers 404 before any byte went to the client: the accelerator reports it where the
 * send-url says (with the internal JWT), asks the control plane once more for the client's request and serves that
 * answer; a second gone object is reported too and answers 503, never a third round.
 */
class MissingObjectTest extends AcceleratorTestBase {
    private static final String REPORT = "/-/internal/missing-objects";
    private final InternalJwt jwt = new InternalJwt(Golden.secret());
    private final Buffer bytes = randomBytes(256 * 1024, 77);
    private final String digest = digestOf(bytes);

    @BeforeEach
    void reportsAreAnswered() {
        controlPlane.answer(REPORT, request -> request.response().setStatusCode(204).end());
    }

    @Test
    void aGoneBlobIsReportedAndTheRequestAskedAgainWhichFetchesItFromTheUpstream() {
        upstream.serve("/v2/library/alpine/blobs/" + digest, FakeUpstream.blob(bytes));
        answerInTurn(blobPath(digest), hit("gone-blob"), blobMiss("/v2/library/alpine/blobs/" + digest, digest, null));

        ClientResponse response = get(blobPath(digest), Headers.REQUEST_ID, "req-heal-1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.header(Headers.CACHE_STATUS)).isEqualTo("miss");
        List<RecordedRequest> reports = controlPlane.requests(REPORT);
        assertThat(reports).hasSize(1);
        RecordedRequest report = reports.get(0);
        assertThat(report.method()).isEqualTo("POST");
        assertThat(report.uri()).isEqualTo(missingUrl("gone-blob"));
        jwt.verifyApiRequest(report.header(Headers.API_REQUEST));
        assertThat(report.header(Headers.REQUEST_ID)).isEqualTo("req-heal-1");
        assertThat(controlPlane.everyRequest().stream().map(RecordedRequest::path).toList())
                .as("reported before asking again").startsWith(blobPath(digest), REPORT, blobPath(digest));
        assertThat(upstream.gets("/v2/library/alpine/blobs/" + digest)).isEqualTo(1);
    }

    @Test
    void aGoneManifestIsAnsweredWithTheSecondAnswersBytes() {
        String manifestPath = GROUP_PATH + "/manifests/latest";
        store.put("dependency_proxy/1/manifests/sha256/older", bytes);
        answerInTurn(manifestPath, hit("gone-manifest"), hit("dependency_proxy/1/manifests/sha256/older"));

        ClientResponse response = get(manifestPath);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(controlPlane.requests(REPORT)).hasSize(1);
        assertThat(controlPlane.requests(manifestPath)).hasSize(2);
    }

    @Test
    void aSecondGoneObjectIsReportedAndAnswers503WithoutAskingAThirdTime() {
        answerInTurn(blobPath(digest), hit("gone-first"), hit("gone-second"), hit("never-asked"));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
        assertThat(controlPlane.requests(blobPath(digest))).hasSize(2);
        assertThat(controlPlane.requests(REPORT).stream().map(RecordedRequest::uri).toList())
                .containsExactly(missingUrl("gone-first"), missingUrl("gone-second"));
        Await.await("the request over").until(() -> shared.work().streams() == 0);
        assertThat(controlPlane.requests(blobPath(digest))).as("no loop").hasSize(2);
    }

    @Test
    void aReportThatFailsStillAsksAgainOnce() {
        controlPlane.answer(REPORT, request -> request.response().setStatusCode(500).end());
        store.put("dependency_proxy/1/blobs/sha256/back", bytes);
        answerInTurn(blobPath(digest), hit("gone"), hit("dependency_proxy/1/blobs/sha256/back"));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
    }

    /** GETs of {@code path} are answered with {@code injections} in turn, the last one from then on. */
    private void answerInTurn(String path, Injection... injections) {
        AtomicInteger calls = new AtomicInteger();
        controlPlane.answer(path, request -> {
            Injection injection = injections[Math.min(calls.getAndIncrement(), injections.length - 1)];
            request.response().putHeader(Headers.SEND_DATA, SendDataCodec.encode(injection))
                    .putHeader("Content-Length", "0").end();
        });
    }

    /** A hit on the stored object {@code key}, reporting it to the control plane if it is gone. */
    private SendUrl hit(String key) {
        HeaderMap headers = HeaderMap.empty().with("Content-Type", MediaTypes.OCTET_STREAM)
                .with(Headers.DOCKER_CONTENT_DIGEST, digest).with(Headers.CACHE_STATUS, "hit");
        return SendUrl.proxy(store.url(key, "X-Amz-Signature=get"), headers, digest).withMissingUrl(missingUrl(key));
    }

    private static String missingUrl(String key) {
        return REPORT + "?key=" + key.replace("/", "%2F");
    }
}

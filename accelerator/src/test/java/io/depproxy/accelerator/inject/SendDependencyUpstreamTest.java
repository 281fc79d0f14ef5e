package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.OutboundSettings;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** How send-dependency talks to the upstream: redirects, failures, timeouts, clients that leave early. */
class SendDependencyUpstreamTest extends AcceleratorTestBase {
    /** The well-known empty gzip layer whose digest is {@link Golden#DIGEST}. */
    private static final Buffer EMPTY_LAYER = Buffer.buffer(HexFormat.of()
            .parseHex("1f8b080000096e8800ff621805a360148c5800080000ffff2eafb5ef00040000"));

    @Test
    void followsRedirectToAnotherHostWithoutAuthorization() {
        Buffer bytes = randomBytes(512 * 1024, 10);
        String digest = digestOf(bytes);
        FakeUpstream cdn = FakeUpstream.start(vertx);
        cdn.serve("/cdn/blob", FakeUpstream.blob(bytes));
        upstream.serve("/v2/library/alpine/blobs/" + digest, FakeUpstream.redirect("/hop"));
        upstream.serve("/hop", FakeUpstream.redirect(cdn.url("/cdn/blob") + "?X-Amz-Signature=cdn"));
        controlPlane.inject(blobPath(digest), blobMiss("/v2/library/alpine/blobs/" + digest, digest, null));
        // the "CDN" is another loopback port: reached only because DP_OUTBOUND_ALLOW names it
        String cdnAuthority = cdn.url("").substring("http://".length());
        int allowing = startAccelerator(config.toBuilder()
                .outbound(new OutboundSettings(AllowList.parse(cdnAuthority), null)).build());

        ClientResponse response = call(allowing, HttpMethod.GET, blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        assertThat(upstream.requests("/hop").get(0).header("Authorization")).isEqualTo("Bearer upstream-token");
        RecordedRequest atCdn = cdn.requests("/cdn/blob").get(0);
        assertThat(atCdn.header("Authorization")).isNull();
        assertThat(atCdn.header("Host")).isEqualTo(cdn.url("").substring("http://".length()));
        assertThat(atCdn.header("Accept-Encoding")).isNull();
    }

    @Test
    void answers502WhenUpstreamIsUnreachable() {
        String digest = digestOf(Buffer.buffer("x"));
        SendDependency miss = blobMiss("/blob", digest, null);
        controlPlane.inject(blobPath(digest), withUrl(miss, "http://127.0.0.1:1/v2/x/blobs/" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void answers504WhenUpstreamSendsNoHeaders() {
        String digest = digestOf(Buffer.buffer("y"));
        upstream.serve("/blob", FakeUpstream.silent());
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void storesADownloadThatTakesLongerThanTheIdleTimeout() {
        Buffer bytes = randomBytes(2 * 1024 * 1024, 13);
        String digest = digestOf(bytes);
        // 32 chunks 150 ms apart: about 5 s, more than twice the 2 s upstream timeout of the test configuration
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 64 * 1024, 150, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        Await.await("finalized").until(() -> controlPlane.finalizeCalls().size() == 1);
        assertThat(store.object("tmp/uploads/tmp-1")).isEqualTo(bytes);
        assertThat(shared.metrics().uploadFailures()).isZero();
    }

    @Test
    void finishesStoringAfterTheClientHangsUp() {
        Buffer bytes = randomBytes(2 * 1024 * 1024, 11);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 64 * 1024, 10, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        Await.result(hangUpAfterFirstChunk(port, blobPath(digest)));

        Await.await("finalize after the client left").until(() -> controlPlane.finalizeCalls().size() == 1);
        assertThat(store.object("tmp/uploads/tmp-1")).isEqualTo(bytes);
    }

    @Test
    void abandonsTheDownloadWhenNobodyReadsItWithinTheGracePeriod() {
        int shortGrace = startAccelerator(config.toBuilder().uploadGrace(Duration.ofMillis(500)).build());
        Buffer bytes = randomBytes(2 * 1024 * 1024, 12);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 16 * 1024, 50, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        Await.result(hangUpAfterFirstChunk(shortGrace, blobPath(digest)));

        Await.await("spool cleaned up").until(() -> shared.spool().usedBytes() == 0);
        assertThat(shared.metrics().render()).contains("accel_fetches_abandoned_total 1");
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    @Test
    void servesTheGoldenSendDependencyEndToEnd() {
        Injection decoded = SendDataCodec.decode(Golden.read("send-dependency.txt"));
        assertThat(decoded).isEqualTo(Golden.sendDependency());
        SendDependency golden = (SendDependency) decoded;
        upstream.serve("/v2/library/alpine/blobs/" + Golden.DIGEST, FakeUpstream.blob(EMPTY_LAYER));
        String uploadUrl = golden.uploadConfig().url();
        String clientPath = uploadUrl.substring(0, uploadUrl.length() - "/upload".length());
        controlPlane.inject(clientPath, withUrl(golden, upstream.url("/v2/library/alpine/blobs/" + Golden.DIGEST)));

        ClientResponse response = get(clientPath);

        assertThat(response.body()).isEqualTo(EMPTY_LAYER);
        assertThat(upstream.requests("/v2/library/alpine/blobs/" + Golden.DIGEST).get(0).header("Authorization"))
                .isEqualTo("Bearer upstream-token");
        Await.await("finalize").until(() -> controlPlane.finalizeCalls().size() == 1);
        assertThat(controlPlane.finalizeCalls().get(0).path()).isEqualTo(golden.uploadConfig().url());
    }

    private Future<Void> hangUpAfterFirstChunk(int acceleratorPort, String path) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(acceleratorPort)
                .setURI(path);
        return onClientContext(() -> client.request(options).compose(request -> request.send()).compose(response -> {
            response.handler(chunk -> response.request().connection().close());
            return response.end().otherwiseEmpty();
        }));
    }

    private static SendDependency withUrl(SendDependency dependency, String url) {
        return new SendDependency(url, dependency.headers(), dependency.responseHeaders() == null
                ? HeaderMap.empty() : dependency.responseHeaders(), dependency.uploadConfig(), dependency.digest(),
                dependency.coalesce(), dependency.maximumSize());
    }

}

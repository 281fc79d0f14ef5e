package io.depproxy.accelerator.readahead;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.ObservedDownload;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A cold image manifest starts its blobs' downloads before the client asks for them; the client's own requests join
 * those downloads. What the control plane answers for a blob decides: cached blobs, refusals and anything an index
 * names are left alone.
 */
class BlobReadAheadTest extends AcceleratorTestBase {
    private static final String MANIFEST = GROUP_PATH + "/manifests/v1";

    @Test
    void aColdManifestStartsItsBlobsDownloadsAndTheClientJoinsThemInsteadOfFetchingAgain() {
        Buffer config = randomBytes(900, 1);
        Buffer small = randomBytes(200_000, 2);
        Buffer slow = randomBytes(1 << 20, 3);
        // the slow layer trickles for about a second: the client's request for it comes while it downloads
        serveBlob("/config", config, FakeUpstream.blob(config));
        serveBlob("/small", small, FakeUpstream.blob(small));
        serveBlob("/slow", slow, FakeUpstream.slowBlob(vertx, slow, 32 * 1024, 30, () -> true));
        Buffer manifest = imageManifest(config, small, slow);
        serveManifest(manifest);

        ClientResponse answer = get(MANIFEST);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(manifest);
        Await.await("every blob of the image asked of the upstream, without the client asking")
                .until(() -> upstream.gets("/config") == 1 && upstream.gets("/small") == 1
                        && upstream.gets("/slow") == 1);
        assertThat(readAheads("fetched")).isEqualTo(3);
        ClientResponse slowLayer = get(blobPath(digestOf(slow)));
        assertThat(slowLayer.status()).isEqualTo(200);
        assertThat(slowLayer.body()).isEqualTo(slow);
        assertThat(upstream.gets("/slow")).isEqualTo(1);
        assertThat(counted("accel_coalesced_waiters_total")).isEqualTo(1);
        // the read-ahead asked as the client would have: the same path grammar, credentials and request id
        RecordedRequest asked = controlPlane.requests(blobPath(digestOf(config))).get(0);
        assertThat(asked.header("Authorization")).isEqualTo("Bearer client-token");
        assertThat(asked.header(Headers.REQUEST_ID))
                .isEqualTo(controlPlane.requests(MANIFEST).get(0).header(Headers.REQUEST_ID));
        Await.await("the manifest and the three blobs stored").until(() -> storesEnded(4));
        assertThat(controlPlane.finalizeCalls()).hasSize(4);
        // the control plane counts the first client request for a blob no client took as the group's miss
        assertThat(controlPlane.finalizeCalls()).filteredOn(call -> "1".equals(call.header(Headers.READ_AHEAD)))
                .extracting(RecordedRequest::path).containsExactlyInAnyOrder(
                        blobPath(digestOf(config)) + "/upload", blobPath(digestOf(small)) + "/upload");
    }

    @Test
    void layersAreDownloadedOneAfterTheOtherTheNextAskedForOnceTheOneBeforeIsNearlyThere() {
        Buffer config = randomBytes(800, 11);
        Buffer first = randomBytes(3 * 1024 * 1024, 12);
        Buffer second = randomBytes(2 * 1024 * 1024, 13);
        int held = first.length() - (int) BlobReadAhead.NEXT_WHEN_BYTES_LEFT - 512 * 1024;
        int nearlyThere = first.length() - (int) BlobReadAhead.NEXT_WHEN_BYTES_LEFT + 512 * 1024;
        AtomicInteger sendUpTo = new AtomicInteger(held);
        serveBlob("/config", config, FakeUpstream.blob(config));
        serveBlob("/first", first, request -> {
            HttpServerResponse response = request.response()
                    .putHeader("Content-Length", Integer.toString(first.length()));
            response.write(first.slice(0, held));
            vertx.setPeriodic(10, id -> {
                if (sendUpTo.get() == nearlyThere) {
                    vertx.cancelTimer(id);
                    response.write(first.slice(held, nearlyThere));
                }
            });
        });
        serveBlob("/second", second, FakeUpstream.blob(second));
        serveManifest(imageManifest(config, first, second));

        assertThat(get(MANIFEST).status()).isEqualTo(200);
        ObservedDownload reader = new ObservedDownload(client, clientContext, port, Long.MAX_VALUE);
        reader.begin(blobPath(digestOf(first)));

        // the client has (nearly all of) what the upstream sent of the first layer: so had the accelerator, which
        // was then 512 KiB short of asking for the next one
        Await.await("the first layer's first bytes at the client").until(() -> reader.received() >= held - 64 * 1024);
        assertThat(controlPlane.requests(blobPath(digestOf(second)))).isEmpty();
        assertThat(upstream.gets("/second")).isZero();

        sendUpTo.set(nearlyThere);
        Await.await("the second layer asked of the upstream").until(() -> upstream.gets("/second") == 1);
        assertThat(reader.received()).isLessThan(first.length());
    }

    @Test
    void cachedRefusedAndForeignBlobsAreLeftToTheClient() {
        Buffer config = randomBytes(700, 4);
        Buffer cached = randomBytes(5_000, 5);
        Buffer refused = randomBytes(6_000, 6);
        controlPlane.inject(blobPath(digestOf(config)), blobMiss("/config", digestOf(config), "k-config"));
        upstream.serve("/config", FakeUpstream.blob(config));
        controlPlane.inject(blobPath(digestOf(cached)), SendUrl.proxy("http://127.0.0.1:1/stored", HeaderMap.empty()));
        controlPlane.answer(blobPath(digestOf(refused)), request -> request.response().setStatusCode(403)
                .putHeader("Content-Type", "application/json").end("{\"errors\":[{\"code\":\"DENIED\"}]}"));
        String foreign = digestOf(randomBytes(10, 7));
        Buffer manifest = Buffer.buffer("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":" + descriptor(config) + ",\"layers\":[" + descriptor(cached) + "," + descriptor(refused)
                + ",{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\""
                + foreign + "\",\"size\":10,\"urls\":[\"https://example.com/layer\"]}]}");
        serveManifest(manifest);

        assertThat(get(MANIFEST).status()).isEqualTo(200);

        Await.await("the read-ahead of each distributable blob is over")
                .until(() -> readAheads("fetched") + readAheads("cached") + readAheads("refused") == 3);
        assertThat(readAheads("fetched")).isEqualTo(1);
        assertThat(readAheads("cached")).isEqualTo(1);
        assertThat(readAheads("refused")).isEqualTo(1);
        assertThat(controlPlane.requests(blobPath(foreign))).isEmpty();
        Await.await("the manifest and the config stored").until(() -> storesEnded(2));
    }

    @Test
    void anIndexStartsNothing() {
        Buffer index = Buffer.buffer("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\","
                + "\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + digestOf(randomBytes(10, 8)) + "\",\"size\":10}]}");
        serveManifest(index);

        assertThat(get(MANIFEST).body()).isEqualTo(index);

        // the index's store is the last thing its download does: once it ended, a read-ahead would have started
        Await.await("the index stored").until(() -> storesEnded(1));
        assertThat(controlPlane.everyRequest()).extracting(RecordedRequest::uri)
                .noneMatch(uri -> uri.contains("/blobs/sha256:"));
        assertThat(readAheads("fetched") + readAheads("refused") + readAheads("failed")).isZero();
    }

    private long readAheads(String outcome) {
        return (long) shared.metrics().registry().get("accel_read_ahead_blobs_total").tag("outcome", outcome)
                .counter().count();
    }

    private void serveBlob(String upstreamPath, Buffer bytes, Handler<HttpServerRequest> handler) {
        upstream.serve(upstreamPath, handler);
        controlPlane.inject(blobPath(digestOf(bytes)), blobMiss(upstreamPath, digestOf(bytes), "k" + upstreamPath));
    }

    private void serveManifest(Buffer manifest) {
        String type = manifest.toString().contains("\"manifests\"") ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST;
        upstream.serve("/manifest", request -> request.response().putHeader("Content-Type", type)
                .putHeader("Content-Length", Integer.toString(manifest.length())).end(manifest));
        SendDependency miss = blobMiss("/manifest", null, null);
        controlPlane.inject(MANIFEST, new SendDependency(miss.url(), miss.headers(),
                miss.responseHeaders().with("Content-Type", type), miss.uploadConfig(), null, null, null));
    }

    @Override
    protected ClientResponse get(String path, String... headerPairs) {
        return super.get(path, List.of("Authorization", "Bearer client-token").toArray(String[]::new));
    }

    private static Buffer imageManifest(Buffer config, Buffer... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":" + descriptor(config) + ",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(layers[i]));
        }
        return Buffer.buffer(json.append("]}").toString());
    }

    private static String descriptor(Buffer bytes) {
        return "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + digestOf(bytes) + "\",\"size\":"
                + bytes.length() + "}";
    }
}

package io.depproxy.accelerator.readahead;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's own GET of a blob its read-ahead is downloading takes that download on the read-ahead's decision,
 * without a second control-plane round trip, where the control plane allowed it: same credentials, same path, once,
 * and only while the download is nobody's and not yet told to the store. Anything else asks the control plane.
 */
class ReadAheadTakenTest extends AcceleratorTestBase {
    private static final String MANIFEST = GROUP_PATH + "/manifests/v1";
    private static final String CLIENT = "Bearer client-token";
    private static final long REUSE_MILLIS = 5_000;

    private final Buffer config = randomBytes(900, 11);
    private final Buffer layer = randomBytes(1 << 20, 12);

    @Test
    void theClientsGetTakesTheDownloadWithoutAskingTheControlPlaneAgainAndIsCountedAtFinalize() {
        image(REUSE_MILLIS);

        ClientResponse taken = getAs(CLIENT, blobPath(digestOf(layer)));

        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body()).isEqualTo(layer);
        // the head the control plane's answer gave the read-ahead, as it would have given the client
        assertThat(taken.headers().get(Headers.CACHE_STATUS)).isEqualTo("miss");
        assertThat(upstream.gets("/layer")).isEqualTo(1);
        assertThat(controlPlane.requests(blobPath(digestOf(layer))))
                .extracting(call -> call.header(Headers.READ_AHEAD)).containsExactly("1");
        assertThat(counted("accel_read_ahead_taken_total")).isEqualTo(1);
        Await.await("the manifest and both blobs stored").until(() -> storesEnded(3));
        // the control plane counts this client's miss when the blob is stored; the config nobody asked for, later
        assertThat(readAheadMark(layer)).isEqualTo("joined");
        assertThat(readAheadMark(config)).isEqualTo("1");
    }

    @Test
    void anAnswerServesOneRequestOnlyAndOnlyWithTheSameCredentials() {
        image(REUSE_MILLIS);

        ClientResponse other = getAs("Bearer someone-else", blobPath(digestOf(layer)));
        ClientResponse first = getAs(CLIENT, blobPath(digestOf(layer)));
        ClientResponse second = getAs(CLIENT, blobPath(digestOf(layer)));

        assertThat(List.of(other, first, second)).allSatisfy(answer -> assertThat(answer.body()).isEqualTo(layer));
        assertThat(upstream.gets("/layer")).isEqualTo(1);
        // the other credentials asked (and took the download as an asking client: counted by the control plane);
        // the read-ahead's own client then found it somebody's and asked too, and so did its second GET
        assertThat(controlPlane.requests(blobPath(digestOf(layer))))
                .extracting(call -> call.header("Authorization"))
                .containsExactly(CLIENT, "Bearer someone-else", CLIENT, CLIENT);
        assertThat(counted("accel_read_ahead_taken_total")).isZero();
        Await.await("the manifest and both blobs stored").until(() -> storesEnded(3));
        assertThat(readAheadMark(layer)).isNull();
    }

    @Test
    void withoutTheControlPlanesLeaveTheClientAsks() {
        image(0);

        assertThat(getAs(CLIENT, blobPath(digestOf(layer))).body()).isEqualTo(layer);

        assertThat(controlPlane.requests(blobPath(digestOf(layer))))
                .extracting(call -> call.header(Headers.READ_AHEAD)).containsExactly("1", null);
        assertThat(upstream.gets("/layer")).isEqualTo(1);
        assertThat(counted("accel_read_ahead_taken_total")).isZero();
        Await.await("the manifest and both blobs stored").until(() -> storesEnded(3));
        assertThat(readAheadMark(layer)).isNull();
    }

    @Test
    void aDownloadAlreadyToldToTheStoreIsNotTakenTheClientAsks() {
        image(60_000); // the answer is still fresh when the client asks: the store was told, that is why it asks
        // the config is stored while the decision is still fresh: its finalize said nobody took it
        Await.await("the manifest and the config stored").until(() -> counted("accel_uploads_finalized_total") >= 2
                && controlPlane.finalizeCalls().stream().anyMatch(call -> call.path().contains(digestOf(config))));

        assertThat(getAs(CLIENT, blobPath(digestOf(config))).body()).isEqualTo(config);

        assertThat(controlPlane.requests(blobPath(digestOf(config))))
                .extracting(call -> call.header(Headers.READ_AHEAD)).containsExactly("1", null);
        assertThat(readAheadMark(config)).isEqualTo("1");
        assertThat(counted("accel_read_ahead_taken_total")).isZero();
        Await.await("the layer stored").until(() -> storesEnded(3));
    }

    /**
     * A cold image of a small config and a layer that trickles for about a second; the client pulled its manifest and
     * the read-ahead asked for both blobs. The control plane lets the client take the answers for
     * {@code reuseMillis} (0: not).
     */
    private void image(long reuseMillis) {
        upstream.serve("/config", FakeUpstream.blob(config));
        upstream.serve("/layer", FakeUpstream.slowBlob(vertx, layer, 32 * 1024, 30, () -> true));
        controlPlane.injectReusable(blobPath(digestOf(config)), blobMiss("/config", digestOf(config), "k-config"),
                reuseMillis);
        controlPlane.injectReusable(blobPath(digestOf(layer)), blobMiss("/layer", digestOf(layer), "k-layer"),
                reuseMillis);
        Buffer manifest = Buffer.buffer("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":" + descriptor(config) + ",\"layers\":[" + descriptor(layer) + "]}");
        upstream.serve("/manifest", request -> request.response().putHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                .putHeader("Content-Length", Integer.toString(manifest.length())).end(manifest));
        SendDependency miss = blobMiss("/manifest", null, null);
        controlPlane.inject(MANIFEST, new SendDependency(miss.url(), miss.headers(),
                miss.responseHeaders().with("Content-Type", MediaTypes.DOCKER_MANIFEST), miss.uploadConfig(), null,
                null, null));

        assertThat(getAs(CLIENT, MANIFEST).body()).isEqualTo(manifest);
        Await.await("both blobs asked for by the read-ahead and their downloads started")
                .until(() -> upstream.gets("/config") == 1 && upstream.gets("/layer") == 1);
    }

    private ClientResponse getAs(String authorization, String path) {
        return get(path, "Authorization", authorization);
    }

    /** The read-ahead mark on the finalize of {@code blob} (null: none). */
    private String readAheadMark(Buffer blob) {
        return controlPlane.finalizeCalls().stream().filter(call -> call.path().contains(digestOf(blob)))
                .reduce((a, b) -> b).orElseThrow().header(Headers.READ_AHEAD);
    }

    private static String descriptor(Buffer bytes) {
        return "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + digestOf(bytes) + "\",\"size\":"
                + bytes.length() + "}";
    }
}

package io.depproxy.accelerator.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.PeerSettings;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Golden;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendPeer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share one download: the control plane tells the first to fetch a blob (send-dependency) and the
 * second to stream it from the first's peer listener (send-peer). The second checks the bytes as they pass and
 * stores nothing; a peer stream that is wrong or cut short never becomes a complete body; a peer that cannot be
 * reached, or no longer has the download, is reported and the control plane asked once more.
 */
class PeerSharingTest extends AcceleratorTestBase {
    private static final String UPSTREAM_PATH = "/v2/library/alpine/blobs/";
    private final InternalJwt jwt = new InternalJwt(Golden.secret());
    private final Buffer bytes = randomBytes(4 * 1024 * 1024, 19);
    private final String digest = digestOf(bytes);
    private final String key = "blob:1:2:library/alpine@" + digest;
    private String fetcherUrl;
    private int fetcherPeerPort;
    private int fetcherPort;
    private String relayUrl;
    private int relayPort;

    @BeforeEach
    void twoReplicasThatShareDownloads() {
        controlPlane.answer(FetchLeases.PEER_GONE_PATH, request -> request.response().setStatusCode(204).end());
        controlPlane.answer(FetchLeases.HEARTBEAT_PATH, request -> request.response().setStatusCode(204).end());
        fetcherPeerPort = freePort();
        fetcherUrl = "http://127.0.0.1:" + fetcherPeerPort;
        fetcherPort = startAccelerator(config.toBuilder().peers(new PeerSettings(fetcherPeerPort, fetcherUrl)).build());
        int relayPeerPort = freePort();
        relayUrl = "http://127.0.0.1:" + relayPeerPort;
        relayPort = startAccelerator(config.toBuilder().peers(new PeerSettings(relayPeerPort, relayUrl)).build());
    }

    @Test
    void aMissIsStreamedFromTheReplicaFetchingItWithOneUpstreamGetAndOneStore() {
        AtomicInteger relayAsked = new AtomicInteger();
        upstream.serve(UPSTREAM_PATH + digest, FakeUpstream.slowBlob(vertx, bytes, 256 * 1024, 20,
                () -> relayAsked.get() > 0));
        answerBlob(peer -> {
            if (peer.equals(relayUrl)) {
                relayAsked.incrementAndGet();
                return sendPeer(fetcherUrl);
            }
            return blobMiss(UPSTREAM_PATH + digest, digest, key);
        });

        Future<ClientResponse> fromFetcher = send(fetcherPort, HttpMethod.GET, blobPath(digest), null);
        Await.await("the fetcher's download started").until(() -> upstream.gets(UPSTREAM_PATH + digest) == 1);
        ClientResponse fromRelay = call(relayPort, HttpMethod.GET, blobPath(digest));

        assertThat(fromRelay.status()).isEqualTo(200);
        assertThat(fromRelay.body()).isEqualTo(bytes);
        assertThat(fromRelay.header("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
        assertThat(fromRelay.header(Headers.CACHE_STATUS)).isEqualTo("miss");
        assertThat(fromRelay.header("Content-Length")).isEqualTo(Integer.toString(bytes.length()));
        assertThat(Await.result(fromFetcher).body()).isEqualTo(bytes);
        assertThat(upstream.gets(UPSTREAM_PATH + digest)).isEqualTo(1);
        // shared: the relaying replica's (started last)
        Await.await("the fetcher stored it and the relay's request is over")
                .until(() -> controlPlane.finalizeCalls().size() == 1 && shared.work().streams() == 0);
        assertThat(storesEnded(0)).as("the relaying replica began no store").isTrue();
        assertThat(controlPlane.authorizeCalls()).as("the relaying replica stores nothing").hasSize(1);
        // both replicas named themselves, signed, on their GETs
        List<RecordedRequest> asked = controlPlane.requests(blobPath(digest));
        assertThat(asked).extracting(request -> request.header(Headers.PEER_URL))
                .containsExactlyInAnyOrder(fetcherUrl, relayUrl);
        asked.forEach(request -> jwt.verifyApiRequest(request.header(Headers.API_REQUEST)));
    }

    @Test
    void theRelaysClientsShareOneStreamFromThePeerAndGetRightBodies() {
        AtomicInteger asked = new AtomicInteger();
        // the peer's stream is held back until every client of the relay has asked: all of them find it running
        upstream.serve("/peer/blob", FakeUpstream.slowBlob(vertx, bytes, 256 * 1024, 5, () -> asked.get() == 4));
        answerBlob(peer -> {
            asked.incrementAndGet();
            return sendPeerAt(upstream.url("/peer/blob"));
        });

        List<Future<ClientResponse>> clients = List.of(send(relayPort, HttpMethod.GET, blobPath(digest), null),
                send(relayPort, HttpMethod.GET, blobPath(digest), null),
                send(relayPort, HttpMethod.GET, blobPath(digest), null),
                send(relayPort, HttpMethod.GET, blobPath(digest), null));

        for (Future<ClientResponse> client : clients) {
            ClientResponse response = Await.result(client);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
        }
        assertThat(upstream.gets("/peer/blob")).as("one stream from the peer for all four").isEqualTo(1);
        assertThat(controlPlane.authorizeCalls()).as("the relaying replica stores nothing").isEmpty();
    }

    @Test
    void thePeerRouteServesOnlySignedCallsAndOnlyDownloadsItHas() {
        assertThat(peerGet(fetcherPeerPort, FetchLeases.peerFetchUrl(fetcherUrl, key), null).status()).isEqualTo(401);
        assertThat(peerGet(fetcherPeerPort, FetchLeases.peerFetchUrl(fetcherUrl, key), "forged").status())
                .isEqualTo(401);
        assertThat(peerGet(fetcherPeerPort, FetchLeases.peerFetchUrl(fetcherUrl, key), jwt.apiRequestToken())
                .status()).isEqualTo(404);
        // the public port never forwards the peer route's requests to the peer listener's logic
        assertThat(call(fetcherPort, HttpMethod.GET, FetchLeases.PEER_FETCH_PATH + "?key=x").status())
                .isNotEqualTo(200);
    }

    @Test
    void aCorruptPeerStreamIsNeverACompleteBodyAndNothingIsStored() {
        Buffer corrupt = bytes.copy();
        corrupt.setByte(bytes.length() - 1, (byte) (bytes.getByte(bytes.length() - 1) ^ 1));
        upstream.serve("/peer/corrupt", FakeUpstream.blob(corrupt));
        answerBlob(peer -> sendPeerAt(upstream.url("/peer/corrupt")));

        ClientResponse response = call(relayPort, HttpMethod.GET, blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        assertThat(response.body()).isNotEqualTo(bytes);
        assertThat(response.body() == null || response.body().length() < bytes.length()).isTrue();
        Await.await("the relay's request over, the corruption seen")
                .until(() -> shared.work().streams() == 0
                        && counted("accel_verification_failures_total") == 1);
        assertThat(storesEnded(0)).isTrue();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(controlPlane.requests(FetchLeases.PEER_GONE_PATH)).as("the head was out: no second round").isEmpty();
    }

    @Test
    void aTruncatedPeerStreamCutsTheClientsTransfer() {
        upstream.serve("/peer/short", FakeUpstream.shortBody(bytes.slice(0, bytes.length() / 2), bytes.length()));
        answerBlob(peer -> sendPeerAt(upstream.url("/peer/short")));

        ClientResponse response = call(relayPort, HttpMethod.GET, blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        assertThat(response.body() == null || response.body().length() < bytes.length()).isTrue();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
    }

    @Test
    void anUnreachablePeerIsReportedAndTheRequestAskedAgainWhichFetchesItItself() {
        upstream.serve(UPSTREAM_PATH + digest, FakeUpstream.blob(bytes));
        String gonePeer = "http://127.0.0.1:" + freePort();
        AtomicInteger asks = new AtomicInteger();
        answerBlob(peer -> asks.getAndIncrement() == 0 ? sendPeer(gonePeer) : blobMiss(UPSTREAM_PATH + digest, digest,
                key));

        ClientResponse response = call(relayPort, HttpMethod.GET, blobPath(digest), Headers.REQUEST_ID, "req-peer-1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        List<RecordedRequest> reports = controlPlane.requests(FetchLeases.PEER_GONE_PATH);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).uri()).isEqualTo(FetchLeases.peerGoneUrl(gonePeer, key));
        jwt.verifyApiRequest(reports.get(0).header(Headers.API_REQUEST));
        assertThat(controlPlane.requests(blobPath(digest))).hasSize(2);
        assertThat(upstream.gets(UPSTREAM_PATH + digest)).isEqualTo(1);
    }

    @Test
    void aPeerThatNoLongerHasTheDownloadIsReportedTooAndASecondMissAnswers503() {
        answerBlob(peer -> sendPeer(fetcherUrl));

        ClientResponse response = call(relayPort, HttpMethod.GET, blobPath(digest));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).contains("UNAVAILABLE");
        assertThat(controlPlane.requests(FetchLeases.PEER_GONE_PATH)).hasSize(2);
        Await.await("the relay's request over").until(() -> shared.work().streams() == 0);
        assertThat(controlPlane.requests(blobPath(digest))).as("asked again once, no loop").hasSize(2);
    }

    /** GETs of the blob are answered by {@code decide}, given the peer URL the asking replica sent. */
    private void answerBlob(Function<String, Injection> decide) {
        controlPlane.answer(blobPath(digest), request -> {
            Injection injection = decide.apply(String.valueOf(request.getHeader(Headers.PEER_URL)));
            request.response().putHeader(Headers.SEND_DATA, SendDataCodec.encode(injection))
                    .putHeader("Content-Length", "0").end();
        });
    }

    private SendPeer sendPeer(String peerUrl) {
        return new SendPeer(FetchLeases.peerFetchUrl(peerUrl, key), digest, null, HeaderMap.empty(),
                HeaderMap.empty().with("Content-Type", MediaTypes.OCTET_STREAM).with(Headers.CACHE_STATUS, "miss"),
                FetchLeases.peerGoneUrl(peerUrl, key));
    }

    private SendPeer sendPeerAt(String url) {
        return new SendPeer(url, digest, null, HeaderMap.empty(),
                HeaderMap.single("Content-Type", MediaTypes.OCTET_STREAM), FetchLeases.peerGoneUrl(fetcherUrl, key));
    }

    private ClientResponse peerGet(int peerPort, String url, String token) {
        String uri = url.substring(url.indexOf("/-/"));
        return token == null ? call(peerPort, HttpMethod.GET, uri)
                : call(peerPort, HttpMethod.GET, uri, Headers.API_REQUEST, token);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

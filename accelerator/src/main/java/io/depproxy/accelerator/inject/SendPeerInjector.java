package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.stream.BoundedCopy;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendPeer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;

/**
 * send-peer: streams a miss from the replica that is downloading it (its peer route, signed with this replica's own
 * internal JWT) to the client, checking the length and the sha256 as the bytes pass ({@link VerifiedPassThrough}):
 * a wrong or truncated stream ends the client's transfer as a broken upstream does, never as a complete body. Nothing
 * is stored here: the fetching replica stores the object. A peer that cannot be reached, or no longer has the
 * download, before any byte went to the client is reported at the send-peer's {@code PeerGoneUrl} (the control plane
 * drops the lease if it is still that peer's) and the control plane is asked once more (it then answers a miss this
 * replica fetches itself, or a hit); a second failure in the same client request is 503, which clients retry.
 */
public final class SendPeerInjector implements Injector<SendPeer> {
    private static final List<String> PEER_HEADERS = List.of("Content-Length", Headers.DOCKER_CONTENT_DIGEST, "ETag");

    private final HttpClient peers;
    private final InternalRequests internal;
    private final ReportThenAskAgain peerGone;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final AcceleratorMetrics metrics;

    public SendPeerInjector(HttpClient peers, InternalRequests internal, Duration connectTimeout, Duration stallTimeout,
                            AcceleratorMetrics metrics) {
        this.peers = peers;
        this.internal = internal;
        this.peerGone = new ReportThenAskAgain(internal, connectTimeout.plus(stallTimeout));
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_PEER;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendPeer sendPeer) {
        return peers.request(options(exchange, sendPeer))
                .compose(request -> {
                    exchange.onClientGone(v -> request.reset());
                    return request.send();
                })
                .map(HttpClientResponse::pause)
                .transform(ar -> {
                    if (ar.failed()) {
                        return peerGone(exchange, sendPeer, "unreachable: " + ar.cause().getMessage());
                    }
                    HttpClientResponse peer = ar.result();
                    if (peer.statusCode() != 200) {
                        BoundedBody.discard(peer);
                        return peerGone(exchange, sendPeer, "answered " + peer.statusCode());
                    }
                    return relay(exchange, sendPeer, peer);
                });
    }

    private RequestOptions options(Exchange exchange, SendPeer sendPeer) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(sendPeer.url())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(stallTimeout.toMillis());
        sendPeer.header().asMap().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        return options.putHeader(Headers.API_REQUEST, internal.jwt().apiRequestToken())
                .putHeader(Headers.REQUEST_ID, exchange.requestId());
    }

    private Future<Void> relay(Exchange exchange, SendPeer sendPeer, HttpClientResponse peer) {
        long length = sendPeer.size() != null ? sendPeer.size() : ContentLength.of(peer.headers());
        VerifiedPassThrough body = new VerifiedPassThrough(peer, length, sendPeer.digest());
        MultiMap headers = ClientHeaders.select(peer.headers(), PEER_HEADERS);
        headers.set(HttpHeaders.CONTENT_TYPE, contentType(peer, sendPeer));
        if (length >= 0) {
            headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        }
        ClientHeaders.writeHead(exchange.response(), 200, headers,
                sendPeer.responseHeaders().without(HttpHeaders.CONTENT_TYPE.toString()));
        return ResettingPipe.endOrReset(BoundedCopy.copy(body, exchange.response()), exchange.response())
                .onFailure(err -> {
                    peer.request().reset();
                    if (err instanceof VerificationFailure) {
                        metrics.verificationFailed();
                    }
                    FailureResponder.reset(exchange, "send-peer: the stream from the peer broke", err);
                });
    }

    /**
     * The control plane's type, except that a manifest keeps the peer's type when it is a known manifest type (the
     * fetching replica chose it from the upstream's answer or the manifest itself, as for its own clients).
     */
    private static String contentType(HttpClientResponse peer, SendPeer sendPeer) {
        String decided = sendPeer.responseHeaders().first(HttpHeaders.CONTENT_TYPE.toString());
        String offered = peer.getHeader(HttpHeaders.CONTENT_TYPE);
        if (decided == null || decided.isBlank()) {
            return MediaTypes.manifestTypeOr(offered, MediaTypes.OCTET_STREAM);
        }
        return MediaTypes.isManifestType(MediaTypes.stripParameters(decided))
                ? MediaTypes.manifestTypeOr(offered, decided) : decided;
    }

    /** Reports the peer gone, then asks the control plane once more (or answers 503 when that was done already). */
    private Future<Void> peerGone(Exchange exchange, SendPeer sendPeer, String why) {
        return peerGone.gone(exchange, sendPeer.peerGoneUrl(), "send-peer: the peer " + why,
                "the replica downloading this object is gone; try again");
    }
}

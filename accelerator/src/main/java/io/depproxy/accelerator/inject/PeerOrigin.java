package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendPeer;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * send-peer's origin: the replica that is downloading the object from the upstream (its peer route, signed with this
 * replica's own internal JWT; the secret never travels in the injection). However many clients of this replica ask,
 * one stream comes from the peer; it is spooled and checked against the digest and size here like an upstream's,
 * and this replica's clients are served from its own spool (zero-copy where the bytes are on disk). Nothing is
 * stored here: the fetching replica stores the object. A peer that cannot be reached, answers anything but 200, or
 * whose stream failed before a client's head, is reported gone ({@link ReportThenAskAgain}) and the control plane
 * asked once more for that client.
 */
final class PeerOrigin implements DownloadOrigin {
    private final SendPeer peer;
    private final Peers peers;

    /** What every send-peer of this replica shares: the client, the internal calls, the timeouts. */
    record Peers(HttpClient client, InternalRequests internal, ReportThenAskAgain gone, Duration connectTimeout,
                 Duration stallTimeout) {
    }

    PeerOrigin(SendPeer peer, Peers peers) {
        this.peer = peer;
        this.peers = peers;
    }

    @Override
    public String injection() {
        return SendDataCodec.SEND_PEER;
    }

    /**
     * The peer's URL names the download (its coalesce key) and the peer: this replica's clients of it share one
     * stream. The key is not the control plane's own coalesce key, so this replica's peer route never mistakes the
     * relay for a download it leads.
     */
    @Override
    public Optional<CoalesceKey> coalesceKey() {
        return Optional.of(new CoalesceKey("peer " + peer.url(), peer.url(), peer.digest(), peer.size()));
    }

    @Override
    public String url() {
        return peer.url();
    }

    @Override
    public String digest() {
        return peer.digest();
    }

    @Override
    public Long maximumSize() {
        return peer.size();
    }

    @Override
    public Future<UpstreamResponse> get(String requestId) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(peer.url())
                .setFollowRedirects(false)
                .setConnectTimeout(peers.connectTimeout().toMillis())
                .setIdleTimeout(peers.stallTimeout().toMillis());
        peer.header().asMap().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        options.putHeader(Headers.API_REQUEST, peers.internal().jwt().apiRequestToken())
                .putHeader(Headers.REQUEST_ID, requestId);
        return peers.client().request(options).compose(HttpClientRequest::send).map(UpstreamResponse::of);
    }

    /**
     * The peer's head as its own clients got it, with the control plane's type, except that a manifest keeps the
     * peer's type when it is a known manifest type (the fetching replica chose it from the upstream's answer or from
     * the manifest itself).
     */
    @Override
    public MissHeaders clientHead(MultiMap answerHeaders) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(answerHeaders);
        String decided = peer.responseHeaders().first(HttpHeaders.CONTENT_TYPE.toString());
        String offered = answerHeaders.get(HttpHeaders.CONTENT_TYPE);
        String type;
        if (decided == null || decided.isBlank()) {
            type = MediaTypes.manifestTypeOr(offered, MediaTypes.OCTET_STREAM);
        } else {
            type = MediaTypes.isManifestType(MediaTypes.stripParameters(decided))
                    ? MediaTypes.manifestTypeOr(offered, decided) : decided;
        }
        headers.set(HttpHeaders.CONTENT_TYPE, type);
        return new MissHeaders(headers, false);
    }

    @Override
    public HeaderMap overrides() {
        return peer.responseHeaders().without(HttpHeaders.CONTENT_TYPE.toString());
    }

    @Override
    public Future<Void> store(Context context, SpoolEntry entry, MultiMap answerHeaders, String requestId,
                              Supplier<ReadAheadOutcome> readAhead) {
        return Future.succeededFuture();
    }

    @Override
    public void fetched(long bytes) {
        // bytes from a peer are not upstream traffic: the fetching replica counts them once
    }

    @Override
    public Future<Void> answerRefusal(Exchange exchange, FetchHead.UpstreamError error) {
        return gone(exchange, "answered " + error.status());
    }

    @Override
    public Future<Void> answerFailure(Exchange exchange, Throwable cause) {
        return gone(exchange, "unreachable or its stream broke: " + cause.getMessage());
    }

    /** Reports the peer gone, then asks the control plane once more (or answers 503 when that was done already). */
    private Future<Void> gone(Exchange exchange, String why) {
        return peers.gone().gone(exchange, peer.peerGoneUrl(), "send-peer: the peer " + why,
                "the replica downloading this object is gone; try again");
    }
}

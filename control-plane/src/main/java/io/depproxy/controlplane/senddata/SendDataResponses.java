package io.depproxy.controlplane.senddata;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendPeer;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.controlplane.cache.CacheDecision;
import io.depproxy.controlplane.cache.MissingObjects;
import io.depproxy.controlplane.registry.RegistryRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * Renders a {@link CacheDecision}: GET hits are answered with the body this replica holds (manifests) or become
 * {@code send-url} to a presigned GET carrying the object's {@code Digest} (the accelerator may serve its verified
 * local copy) and where to report the object missing ({@code MissingUrl}, {@link MissingObjects}), misses become
 * {@code send-dependency} (with the type the client is told, the cap the upstream's body is held to, and the upstream's
 * name for the accelerator's per-upstream metrics), or {@code send-peer} when another replica is downloading them
 * ({@link io.depproxy.controlplane.cache.FetchLeaseService}); HEADs are
 * answered here from the record or the upstream's HEAD, without injection.
 */
@ApplicationScoped
public class SendDataResponses {
    public static final String STALE_WARNING = "110 - \"Response is Stale\"";

    @Inject
    PresignedGets presignedGets;

    public Response render(CacheDecision decision, RegistryRequest request, boolean head) {
        if (decision instanceof CacheDecision.Hit hit) {
            if (head) {
                return describeHit(hit);
            }
            return hit.body() != null ? inline(hit) : sendUrl(hit);
        }
        if (decision instanceof CacheDecision.Fetch fetch) {
            return sendDependency(fetch, request);
        }
        if (decision instanceof CacheDecision.FromPeer fromPeer) {
            return sendPeer(fromPeer);
        }
        if (decision instanceof CacheDecision.Described described) {
            return describe(described);
        }
        throw new IllegalStateException("unknown cache decision " + decision.getClass().getName());
    }

    private Response sendUrl(CacheDecision.Hit hit) {
        HeaderMap headers = HeaderMap.empty()
                .with("Content-Type", hit.contentType())
                .with(Headers.DOCKER_CONTENT_DIGEST, hit.digest())
                .with(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE)
                .with(Headers.CACHE_STATUS, hit.cacheStatus());
        if (hit.stale()) {
            headers = headers.with("Warning", STALE_WARNING);
        }
        SendUrl injection = SendUrl.proxy(presignedGets.get(hit.objectKey()), headers, hit.digest())
                .withMissingUrl(MissingObjects.reportUrl(hit.objectKey()));
        return Response.ok().header(Headers.SEND_DATA, SendDataCodec.encode(injection)).build();
    }

    /** A body this replica holds: the same headers as the accelerator's answer to a send-url, Content-Length too. */
    private static Response inline(CacheDecision.Hit hit) {
        return hitHeaders(Response.ok(hit.body()), hit).build();
    }

    private static Response describeHit(CacheDecision.Hit hit) {
        return hitHeaders(Response.ok(), hit).header("Content-Length", hit.size()).build();
    }

    private static Response.ResponseBuilder hitHeaders(Response.ResponseBuilder response, CacheDecision.Hit hit) {
        response.header("Content-Type", hit.contentType())
                .header(Headers.DOCKER_CONTENT_DIGEST, hit.digest())
                .header(Headers.CACHE_STATUS, hit.cacheStatus());
        if (hit.stale()) {
            response.header("Warning", STALE_WARNING);
        }
        return response;
    }

    private static Response describe(CacheDecision.Described described) {
        Response.ResponseBuilder response = Response.ok()
                .header("Content-Type", described.contentType())
                .header(Headers.CACHE_STATUS, "miss");
        if (described.contentLength() != null) {
            response.header("Content-Length", described.contentLength());
        }
        if (described.digest() != null) {
            response.header(Headers.DOCKER_CONTENT_DIGEST, described.digest());
        }
        return response.build();
    }

    /** What a client of a miss is told, whoever downloads it. */
    private static HeaderMap missHeaders(CacheDecision.Fetch fetch) {
        return HeaderMap.empty()
                .with("Content-Type", fetch.contentType())
                .with(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE)
                .with(Headers.CACHE_STATUS, "miss");
    }

    /**
     * A miss another replica is downloading: stream it from that replica's peer route; the accelerator signs the call
     * with its own internal JWT (no secret here) and reports a peer that no longer serves it at {@code PeerGoneUrl}.
     */
    private static Response sendPeer(CacheDecision.FromPeer fromPeer) {
        CacheDecision.Fetch fetch = fromPeer.fetch();
        SendPeer injection = new SendPeer(FetchLeases.peerFetchUrl(fromPeer.peerUrl(), fetch.coalesceKey()),
                fetch.digest(), null, HeaderMap.empty(), missHeaders(fetch),
                FetchLeases.peerGoneUrl(fromPeer.peerUrl(), fetch.coalesceKey()));
        return Response.ok().header(Headers.SEND_DATA, SendDataCodec.encode(injection)).build();
    }

    private static Response sendDependency(CacheDecision.Fetch fetch, RegistryRequest request) {
        HeaderMap responseHeaders = missHeaders(fetch);
        SendDependency injection = new SendDependency(fetch.upstreamUrl(), fetch.upstreamHeaders(), responseHeaders,
                new UploadTarget("POST", request.path() + "/upload",
                        HeaderMap.single(Headers.UPSTREAM_ID, Long.toString(fetch.upstreamId()))),
                fetch.digest(), fetch.coalesceKey(), fetch.maximumSize()).withUpstreamName(fetch.upstreamName());
        return Response.ok().header(Headers.SEND_DATA, SendDataCodec.encode(injection)).build();
    }
}

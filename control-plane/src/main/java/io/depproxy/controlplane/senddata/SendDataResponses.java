package io.depproxy.controlplane.senddata;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.controlplane.cache.CacheDecision;
import io.depproxy.controlplane.cache.RegistryRequest;
import io.depproxy.controlplane.storage.ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * Renders a {@link CacheDecision}: GET hits become {@code send-url} to a presigned GET, misses become
 * {@code send-dependency}; HEADs are answered here from the record or the upstream's HEAD, without injection.
 */
@ApplicationScoped
public class SendDataResponses {
    static final Duration PRESIGNED_GET_EXPIRY = Duration.ofMinutes(15);
    static final String STALE_WARNING = "110 - \"Response is Stale\"";

    @Inject
    ObjectStorage storage;

    public Response render(CacheDecision decision, RegistryRequest request, boolean head) {
        if (decision instanceof CacheDecision.Hit hit) {
            return head ? describeHit(hit) : sendUrl(hit);
        }
        if (decision instanceof CacheDecision.Fetch fetch) {
            return sendDependency(fetch, request);
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
        SendUrl injection = SendUrl.proxy(storage.presignGet(hit.objectKey(), PRESIGNED_GET_EXPIRY), headers);
        return Response.ok().header(Headers.SEND_DATA, SendDataCodec.encode(injection)).build();
    }

    private static Response describeHit(CacheDecision.Hit hit) {
        Response.ResponseBuilder response = Response.ok()
                .header("Content-Type", hit.contentType())
                .header("Content-Length", hit.size())
                .header(Headers.DOCKER_CONTENT_DIGEST, hit.digest())
                .header(Headers.CACHE_STATUS, hit.cacheStatus());
        if (hit.stale()) {
            response.header("Warning", STALE_WARNING);
        }
        return response.build();
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

    private static Response sendDependency(CacheDecision.Fetch fetch, RegistryRequest request) {
        HeaderMap responseHeaders = HeaderMap.empty()
                .with(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE)
                .with(Headers.CACHE_STATUS, "miss");
        SendDependency injection = new SendDependency(fetch.upstreamUrl(), fetch.upstreamHeaders(), responseHeaders,
                new UploadTarget("POST", request.path() + "/upload", null), fetch.digest(), fetch.coalesceKey());
        return Response.ok().header(Headers.SEND_DATA, SendDataCodec.encode(injection)).build();
    }
}

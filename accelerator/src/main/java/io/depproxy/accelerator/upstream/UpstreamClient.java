package io.depproxy.accelerator.upstream;

import io.depproxy.accelerator.logging.UrlMask;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.contracts.observability.UpstreamOutcome;
import io.depproxy.contracts.observability.UpstreamRateLimit;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundRedirects;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs from upstream registries with exactly the headers the control plane chose. Every hop, the first included,
 * passes the shared destination policy and connects to the address that was checked ({@link OutboundGuard}); the
 * upstream's own origin (the URL the control plane sent) may be internal, its redirects only where the policy allows.
 * Follows redirects itself (Docker Hub sends blobs to a CDN) and keeps credentials only on the same origin
 * ({@link OutboundCredentials}). The answer is returned paused: nothing flows (and nothing is lost) until the caller
 * reads it.
 */
public final class UpstreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);

    private final HttpClient client;
    private final OutboundGuard guard;
    private final Duration connectTimeout;
    private final Duration headerTimeout;
    private final AcceleratorMetrics metrics;

    public UpstreamClient(HttpClient client, OutboundGuard guard, Duration connectTimeout, Duration headerTimeout,
                          AcceleratorMetrics metrics) {
        this.client = client;
        this.guard = guard;
        this.connectTimeout = connectTimeout;
        this.headerTimeout = headerTimeout;
        this.metrics = metrics;
    }

    /** As {@link #get(String, String, HeaderMap, String)} for an upstream whose name is not known. */
    public Future<UpstreamResponse> get(String url, HeaderMap headers, String requestId) {
        return get(SendDependency.UNKNOWN_UPSTREAM, url, headers, requestId);
    }

    /**
     * GETs {@code url} from the upstream called {@code upstreamName} (its label in the per-upstream metrics: the
     * outcome and time of the call, and the rate-limit headers of every answer on the way).
     */
    public Future<UpstreamResponse> get(String upstreamName, String url, HeaderMap headers, String requestId) {
        long start = System.nanoTime();
        URI first = URI.create(url);
        return follow(upstreamName, first, Origin.of(first), headers, 0, requestId)
                .onSuccess(response -> metrics.upstreamRequest(upstreamName,
                        UpstreamOutcome.ofStatus(response.statusCode()), Duration.ofNanos(System.nanoTime() - start)))
                .onFailure(err -> metrics.upstreamRequest(upstreamName, failureOutcome(err),
                        Duration.ofNanos(System.nanoTime() - start)));
    }

    /** {@code refused} (outbound policy), {@code timeout} (connect or answer head too slow) or {@code failed}. */
    static String failureOutcome(Throwable err) {
        for (Throwable cause = err; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutboundRefused) {
                return UpstreamOutcome.REFUSED;
            }
            if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
                    || cause instanceof SocketTimeoutException) {
                return UpstreamOutcome.TIMEOUT;
            }
        }
        return UpstreamOutcome.FAILED;
    }

    private Future<UpstreamResponse> follow(String upstreamName, URI url, Origin upstream, HeaderMap headers, int hops,
                                            String requestId) {
        return guard.check(url, upstream)
                .compose(destination -> send(OutboundGuard.pinned(options(url), destination), headers)
                        .recover(err -> Future.failedFuture(new UpstreamCallFailed(url, err))))
                .compose(response -> {
                    metrics.upstreamRateLimit(upstreamName, response.getHeader(UpstreamRateLimit.LIMIT_HEADER),
                            response.getHeader(UpstreamRateLimit.REMAINING_HEADER));
                    String location = response.getHeader(HttpHeaders.LOCATION);
                    if (!OutboundRedirects.isRedirect(response.statusCode()) || location == null
                            || hops == OutboundRedirects.MAX_HOPS) {
                        return Future.succeededFuture(response);
                    }
                    BoundedBody.discard(response);
                    URI next = OutboundRedirects.target(url, location);
                    LOG.atDebug().addKeyValue("request_id", requestId).addKeyValue("upstream_host", next.getHost())
                            .log("upstream redirect {} -> {}", UrlMask.mask(url.toString()), UrlMask.mask(next.toString()));
                    HeaderMap nextHeaders = HeaderMap.of(OutboundCredentials.forRedirect(url, next, headers.asMap()));
                    return follow(upstreamName, next, upstream, nextHeaders, hops + 1, requestId);
                });
    }

    private RequestOptions options(URI url) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url.toString())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(headerTimeout.toMillis());
    }

    private Future<UpstreamResponse> send(RequestOptions options, HeaderMap headers) {
        headers.asMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> options.addHeader(name, value));
            }
        });
        return client.request(options)
                .compose(request -> request.send())
                .map(UpstreamResponse::new);
    }
}

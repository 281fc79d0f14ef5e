package io.depproxy.accelerator.upstream;

import io.depproxy.accelerator.http.AcceleratorMetrics;
import io.depproxy.accelerator.http.UrlMask;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.contracts.senddata.HeaderMap;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs from upstream registries with exactly the headers the control plane chose. Follows redirects itself (Docker
 * Hub sends blobs to a CDN) and drops credentials when a redirect leaves the scheme, host or port
 * ({@link Redirects}), so the registry token never reaches a third party or plain HTTP. The answer is returned paused: nothing flows (and nothing is lost) until the caller reads it.
 */
public final class UpstreamClient {
    public static final int MAX_REDIRECTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration headerTimeout;
    private final AcceleratorMetrics metrics;

    public UpstreamClient(HttpClient client, Duration connectTimeout, Duration headerTimeout, AcceleratorMetrics metrics) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.headerTimeout = headerTimeout;
        this.metrics = metrics;
    }

    public Future<UpstreamResponse> get(String url, HeaderMap headers, String requestId) {
        long start = System.nanoTime();
        return follow(url, headers, 0, requestId)
                .onSuccess(response -> metrics.upstreamRequest(response.statusCode() / 100 == 2 ? "ok" : "http_error",
                        Duration.ofNanos(System.nanoTime() - start)))
                .onFailure(err -> metrics.upstreamRequest("failed", Duration.ofNanos(System.nanoTime() - start)));
    }

    private Future<UpstreamResponse> follow(String url, HeaderMap headers, int redirects, String requestId) {
        return send(url, headers).compose(response -> {
            String location = response.getHeader(HttpHeaders.LOCATION);
            if (!Redirects.STATUSES.contains(response.statusCode()) || location == null || redirects == MAX_REDIRECTS) {
                return Future.succeededFuture(response);
            }
            BoundedBody.discard(response);
            String next = URI.create(url).resolve(location).toString();
            LOG.atDebug().addKeyValue("request_id", requestId).addKeyValue("upstream_host", URI.create(next).getHost())
                    .log("upstream redirect {} -> {}", UrlMask.mask(url), UrlMask.mask(next));
            HeaderMap nextHeaders = Redirects.sameAuthority(url, next) ? headers : withoutCredentials(headers);
            return follow(next, nextHeaders, redirects + 1, requestId);
        });
    }

    private Future<UpstreamResponse> send(String url, HeaderMap headers) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(headerTimeout.toMillis());
        headers.asMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> options.addHeader(name, value));
            }
        });
        return client.request(options)
                .compose(request -> request.send())
                .map(UpstreamResponse::new);
    }

    private static HeaderMap withoutCredentials(HeaderMap headers) {
        Map<String, List<String>> kept = new LinkedHashMap<>(headers.asMap());
        kept.keySet().removeIf(Redirects::isCredential);
        return HeaderMap.of(kept);
    }
}

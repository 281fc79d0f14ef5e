package io.depproxy.accelerator.upstream;

import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundRedirects;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.function.Function;

/**
 * The redirect handler of the accelerator's HTTP clients, for the requests that let Vert.x follow (a send-url with
 * {@code AllowRedirects}; upstream fetches follow by hand in {@link UpstreamClient}). Vert.x's default handler copies
 * every header to wherever the {@code Location} points; this one applies the shared rules instead: the credentials
 * rule ({@link OutboundCredentials}) and the destination policy: a hop to another origin is checked with no internal
 * origin trusted (a send-url's first URL is the object store the control plane chose, never an upstream's), a hop on
 * the same origin goes to the address the answer came from.
 */
public final class Redirects {
    private Redirects() {
    }

    public static Function<HttpClientResponse, Future<RequestOptions>> handler(OutboundGuard guard) {
        return response -> follow(guard, response);
    }

    private static Future<RequestOptions> follow(OutboundGuard guard, HttpClientResponse response) {
        String location = response.getHeader(HttpHeaders.LOCATION);
        HttpMethod method = response.request().getMethod();
        int status = response.statusCode();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (location == null || !OutboundRedirects.isRedirect(status) || (!safe && status != 303)) {
            return null;
        }
        try {
            URI from = URI.create(response.request().absoluteURI());
            URI next = OutboundRedirects.target(from, location);
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(response.request().headers());
            headers.remove(HttpHeaders.CONTENT_LENGTH);
            headers.remove(HttpHeaders.HOST);
            boolean sameOrigin = OutboundCredentials.mayFollow(from, next);
            if (!sameOrigin) {
                OutboundCredentials.HEADERS.forEach(headers::remove);
            }
            RequestOptions options = new RequestOptions().setMethod(status == 303 ? HttpMethod.GET : method)
                    .setAbsoluteURI(next.toString()).setHeaders(headers);
            if (sameOrigin) {
                // the same origin: the address this answer came from, never a new lookup
                SocketAddress here = response.request().connection().remoteAddress();
                return Future.succeededFuture(options.setServer(
                        SocketAddress.inetSocketAddress(here.port(), here.hostAddress())));
            }
            return guard.check(next, null).map(destination -> OutboundGuard.pinned(options, destination));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}

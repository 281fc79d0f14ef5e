package io.depproxy.accelerator.upstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * How outbound requests follow redirects: credentials ({@code Authorization}, {@code Proxy-Authorization},
 * {@code Cookie}) go only to the same scheme, host and port, so a registry token never reaches a CDN or a
 * plain-HTTP downgrade. {@link #handler()} is the outbound client's redirect handler (Vert.x's default one copies
 * every header to wherever the {@code Location} points); {@link UpstreamClient} follows by hand with the same rule.
 */
public final class Redirects {
    public static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);
    static final List<String> CREDENTIALS = List.of("Authorization", "Proxy-Authorization", "Cookie");

    private Redirects() {
    }

    /** Whether {@code to} has the scheme, host and port of {@code from} (default ports included). */
    public static boolean sameAuthority(String from, String to) {
        URI a = URI.create(from);
        URI b = URI.create(to);
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b)
                && a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    static boolean isCredential(String headerName) {
        return CREDENTIALS.stream().anyMatch(name -> name.equalsIgnoreCase(headerName));
    }

    /** A redirect handler for Vert.x clients that follows as Vert.x does but keeps credentials on their origin. */
    public static Function<HttpClientResponse, Future<RequestOptions>> handler() {
        return Redirects::follow;
    }

    private static Future<RequestOptions> follow(HttpClientResponse response) {
        String location = response.getHeader(HttpHeaders.LOCATION);
        HttpMethod method = response.request().getMethod();
        int status = response.statusCode();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (location == null || !STATUSES.contains(status) || (!safe && status != 303)) {
            return null;
        }
        try {
            String from = response.request().absoluteURI();
            String next = URI.create(from).resolve(location).toString();
            String scheme = URI.create(next).getScheme();
            if (scheme == null || !Set.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
                return null;
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(response.request().headers());
            headers.remove(HttpHeaders.CONTENT_LENGTH);
            headers.remove(HttpHeaders.HOST);
            if (!sameAuthority(from, next)) {
                CREDENTIALS.forEach(headers::remove);
            }
            return Future.succeededFuture(new RequestOptions().setMethod(status == 303 ? HttpMethod.GET : method)
                    .setAbsoluteURI(next).setHeaders(headers));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

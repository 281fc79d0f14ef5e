package io.depproxy.contracts.outbound;

import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port of a URL, an absent port being the scheme's default: what "the same origin" means for the
 * destination policy (an upstream's own origin may be internal) and for the credentials rule.
 */
public record Origin(String scheme, String host, int port) {

    public Origin {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException when {@code uri} is not an absolute http(s) URL with a host */
    public static Origin of(URI uri) {
        String scheme = uri.getScheme();
        if (uri.getHost() == null || scheme == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("not an absolute http(s) URL");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return new Origin(scheme, uri.getHost(), port);
    }

    public static Origin of(String url) {
        return of(URI.create(url));
    }

    /** Whether {@code other} names the same host and port (the scheme aside), as an upstream's own origin does. */
    public boolean sameHostAndPort(Origin other) {
        return other != null && host.equals(other.host) && port == other.port;
    }

    public boolean https() {
        return scheme.equals("https");
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}

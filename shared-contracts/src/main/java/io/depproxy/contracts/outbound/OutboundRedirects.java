package io.depproxy.contracts.outbound;

import java.net.URI;
import java.util.Set;

/**
 * How both services follow an upstream's redirects (Docker Hub and others send blob GETs to a CDN): which statuses,
 * how many hops, and where a {@code Location} leads. Each hop is a new outbound call: it passes the
 * {@link OutboundPolicy} and carries credentials only as {@link OutboundCredentials} allows.
 */
public final class OutboundRedirects {
    public static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);
    public static final int MAX_HOPS = 5;

    private OutboundRedirects() {
    }

    public static boolean isRedirect(int status) {
        return STATUSES.contains(status);
    }

    /**
     * The absolute URL {@code location} points to from {@code from}.
     *
     * @throws OutboundRefused when it is not an http(s) URL (a {@code file:} or {@code ftp:} location)
     */
    public static URI target(URI from, String location) {
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new OutboundRefused(from.getHost(), null, "a redirect to something that is not a URL");
        }
        String scheme = next.getScheme();
        if (next.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new OutboundRefused(String.valueOf(next.getHost()), null, "a redirect to a non-http(s) URL");
        }
        return next;
    }
}

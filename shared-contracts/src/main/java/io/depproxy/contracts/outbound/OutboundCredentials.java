package io.depproxy.contracts.outbound;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one credentials rule of outbound calls, for both services:
 * <ul>
 * <li>a redirect keeps the credential headers ({@link #HEADERS}) only when it stays on the same origin (scheme, host
 * and port), so they never reach another host or port, nor plain http after https;</li>
 * <li>an upstream's credentials go to its token realm (the Bearer challenge's {@code realm}) only when the realm is
 * https, or is http on the same host name as an http upstream (any port: that upstream already receives its
 * requests in clear on that host). The realm must also pass the {@link OutboundPolicy}.</li>
 * </ul>
 */
public final class OutboundCredentials {
    /** Headers that carry credentials: never sent across origins. */
    public static final List<String> HEADERS = List.of("Authorization", "Proxy-Authorization", "Cookie",
            "X-Registry-Auth", "X-Amz-Security-Token", "Private-Token", "Job-Token");

    private OutboundCredentials() {
    }

    public static boolean isCredential(String headerName) {
        return HEADERS.stream().anyMatch(name -> name.equalsIgnoreCase(headerName));
    }

    /** Whether the credential headers of a request to {@code from} may go along on its redirect to {@code to}. */
    public static boolean mayFollow(URI from, URI to) {
        try {
            return Origin.of(from).equals(Origin.of(to));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the upstream at {@code upstreamBase} may send its credentials to the token realm {@code realm}. */
    public static boolean realmMayReceive(URI upstreamBase, URI realm) {
        try {
            Origin upstream = Origin.of(upstreamBase);
            Origin target = Origin.of(realm);
            return target.https() || !upstream.https() && upstream.host().equals(target.host());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code headers} without the credential headers, in their order. */
    public static <V> Map<String, V> without(Map<String, V> headers) {
        Map<String, V> kept = new LinkedHashMap<>(headers);
        kept.keySet().removeIf(OutboundCredentials::isCredential);
        return kept;
    }

    /** The headers a redirect from {@code from} to {@code to} carries: all, or all but the credentials. */
    public static <V> Map<String, V> forRedirect(URI from, URI to, Map<String, V> headers) {
        return mayFollow(from, to) ? headers : without(headers);
    }
}

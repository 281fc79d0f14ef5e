package io.depproxy.contracts.peer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The routes of cluster-wide single flight, in one place for both services. A miss taken by a replica that
 * advertises a peer URL gives it the fetch lease of the download's coalesce key; other replicas stream that
 * download from its peer route ({@link #PEER_FETCH_PATH}) instead of the upstream. The fetching replica renews its
 * leases with a heartbeat ({@link #HEARTBEAT_PATH}: the keys it is still downloading; a key it no longer lists is
 * released), a relaying replica that could not reach the peer reports it ({@link #PEER_GONE_PATH}).
 */
public final class FetchLeases {
    /** On the control plane: {@code POST}, JSON {@link Heartbeat}, internal JWT; 204. */
    public static final String HEARTBEAT_PATH = "/-/internal/fetch-leases";
    /** On the control plane: {@code POST ?key=…&peer=…}, internal JWT, no body; 204. */
    public static final String PEER_GONE_PATH = "/-/internal/fetch-leases/peer-gone";
    /** On an accelerator's peer listener: {@code GET ?key=…}, internal JWT; the download's bytes, or 404. */
    public static final String PEER_FETCH_PATH = "/-/peer/fetches";

    private FetchLeases() {
    }

    /** Where peers stream the download of {@code coalesceKey} from the replica that advertises {@code peerUrl}. */
    public static String peerFetchUrl(String peerUrl, String coalesceKey) {
        String base = peerUrl.endsWith("/") ? peerUrl.substring(0, peerUrl.length() - 1) : peerUrl;
        return base + PEER_FETCH_PATH + "?key=" + encode(coalesceKey);
    }

    /** Where a relaying replica reports that {@code peerUrl} no longer serves {@code coalesceKey}. */
    public static String peerGoneUrl(String peerUrl, String coalesceKey) {
        return PEER_GONE_PATH + "?key=" + encode(coalesceKey) + "&peer=" + encode(peerUrl);
    }

    /** The longest peer URL either service accepts. */
    public static final int MAX_PEER_URL_LENGTH = 512;

    /**
     * Whether {@code value} is a peer URL: {@code http(s)://host[:port]}, with no user, path, query or fragment (a
     * replica's address, nothing a request could be smuggled into).
     */
    public static boolean isPeerUrl(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_PEER_URL_LENGTH) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            String scheme = uri.getScheme();
            String path = uri.getRawPath();
            return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (path == null || path.isEmpty() || path.equals("/"));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A heartbeat: {@code peer} is still downloading {@code keys} (and has stopped downloading any other). */
    public record Heartbeat(String peer, java.util.List<String> keys) {
        public Heartbeat {
            keys = keys == null ? java.util.List.of() : java.util.List.copyOf(keys);
        }
    }
}

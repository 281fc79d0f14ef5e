package io.depproxy.accelerator.stream;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Headers that belong to one connection (RFC 9110 §7.6.1) and are never forwarded by a proxy. */
public final class HopByHopHeaders {
    private static final Set<String> NAMES = Set.of("connection", "keep-alive", "te", "trailer", "trailers",
            "transfer-encoding", "upgrade");

    private HopByHopHeaders() {
    }

    /** A copy of {@code headers} without hop-by-hop headers, {@code Proxy-*}, and whatever Connection lists. */
    public static MultiMap endToEnd(MultiMap headers) {
        Set<String> listed = listedInConnection(headers);
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        for (var entry : headers) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!isHopByHop(name) && !listed.contains(name)) {
                copy.add(entry.getKey(), entry.getValue());
            }
        }
        return copy;
    }

    public static boolean isHopByHop(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return NAMES.contains(lower) || lower.startsWith("proxy-");
    }

    private static Set<String> listedInConnection(MultiMap headers) {
        Set<String> listed = new TreeSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    listed.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return listed;
    }
}

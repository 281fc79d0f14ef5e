package io.depproxy.accelerator.edge;

import io.vertx.core.MultiMap;
import java.util.Locale;

/**
 * Headers only the accelerator may send the control plane ({@code Gitlab-Workhorse-Api-Request}, send-data,
 * {@code Workhorse-Proxy-Content-Type}, …): a client that sends one is never believed, so they are dropped, in
 * any case, before a request is forwarded.
 */
public final class InternalHeaders {
    private InternalHeaders() {
    }

    public static boolean isInternal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("gitlab-workhorse-") || lower.startsWith("workhorse-");
    }

    /** Removes every internal header from {@code headers} (a mutable copy of the client's). */
    public static MultiMap strip(MultiMap headers) {
        headers.names().stream().filter(InternalHeaders::isInternal).toList().forEach(headers::remove);
        return headers;
    }
}

package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.config.EdgeSettings;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The sizes the public port accepts. Registry paths, tokens and admin calls fit well inside them; beyond them a
 * client gets 414, 431 or 413 in its route's error format instead of a reset or a 5xx.
 */
public final class EdgeLimits {
    /** The request line: method, path, query and version (a digest path is ~200 bytes). */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    /** All request headers together (a registry bearer token is a few KiB). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** A forwarded request body: token forms and admin JSON are small; pulls have none. */
    public static final long MAX_FORWARDED_BODY_BYTES = 1024 * 1024;

    private EdgeLimits() {
    }

    /** Whether a declared {@code Content-Length} is already beyond the bound (a malformed one is Vert.x's to refuse). */
    public static boolean declaresTooLargeBody(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.trim()) > MAX_FORWARDED_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The sizes above, the idle timeout (a connection silent both ways for that long is closed), and HTTP/1.x only:
     * clear-text HTTP/2 (h2c) would multiplex requests on one connection past the per-connection head deadline, and
     * neither registry clients nor the Ingress speak it to this port.
     */
    public static HttpServerOptions apply(HttpServerOptions options, EdgeSettings settings) {
        return options.setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(false);
    }
}

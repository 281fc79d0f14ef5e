package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public server's door, one per verticle (every call runs on its event loop). A new connection beyond the
 * per-address limit is closed at once, before it is read. A connection that has not delivered a complete request head
 * within the header timeout is closed; the clock starts when it opens and again when its previous response has ended,
 * so the same bound is the keep-alive window, and bytes trickled into an unfinished head never extend it.
 * <p>
 * Vert.x calls the request handler only once a head is parsed and has no deadline for heads itself. Instead of a timer
 * per connection, one sweep per event loop checks every open connection a few times per timeout; a connection is
 * closed between the timeout and a quarter of it (at most a second) later.
 */
public final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long MAX_SWEEP_MS = 1000;

    private final Vertx vertx;
    private final ConnectionLimiter limiter;
    private final long headerTimeoutNanos;
    private final AcceleratorMetrics metrics;
    private final Map<HttpConnection, Waiting> open = new HashMap<>();

    public ConnectionGuard(Vertx vertx, ConnectionLimiter limiter, Duration headerTimeout, AcceleratorMetrics metrics) {
        this.vertx = vertx;
        this.limiter = limiter;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.metrics = metrics;
    }

    /**
     * Puts the guard in front of {@code server}: its connection handler, and {@code requests} and {@code invalid}
     * behind the guard's own request handlers. Call on the verticle's context (the sweep is its timer, cancelled with
     * the verticle).
     */
    public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests,
                              Handler<HttpServerRequest> invalid) {
        long period = Math.max(1, Math.min(MAX_SWEEP_MS, headerTimeoutNanos / 4_000_000));
        vertx.setPeriodic(period, id -> sweep());
        return server.connectionHandler(this::opened)
                .requestHandler(request -> arrived(request, requests))
                .invalidRequestHandler(request -> arrived(request, invalid));
    }

    private void opened(HttpConnection connection) {
        String address = addressOf(connection);
        if (!limiter.tryOpen(address)) {
            metrics.edgeRefusal(AcceleratorMetrics.REFUSED_CONNECTION_LIMIT);
            LOG.atDebug().addKeyValue("client", address).log("edge: connection refused, the client is at its limit");
            connection.close();
            return;
        }
        open.put(connection, new Waiting(System.nanoTime()));
        connection.closeHandler(v -> {
            open.remove(connection);
            limiter.closed(address);
        });
    }

    private void arrived(HttpServerRequest request, Handler<HttpServerRequest> next) {
        Waiting waiting = open.get(request.connection());
        if (waiting == null) {
            // a connection refused (or already closed) by the guard: nothing it sent is answered
            request.connection().close();
            return;
        }
        waiting.current = request.response();
        waiting.requests++;
        next.handle(request);
    }

    private void sweep() {
        long now = System.nanoTime();
        List<HttpConnection> expired = new ArrayList<>();
        open.forEach((connection, waiting) -> {
            if (waiting.current != null) {
                if (!waiting.current.ended() && !waiting.current.closed()) {
                    return;
                }
                waiting.current = null;
                waiting.since = now;
            }
            if (now - waiting.since >= headerTimeoutNanos) {
                expired.add(connection);
            }
        });
        for (HttpConnection connection : expired) {
            Waiting waiting = open.remove(connection);
            if (waiting.requests == 0) {
                // an idle keep-alive connection is normal; only one that never completed a request head is counted
                metrics.edgeRefusal(AcceleratorMetrics.REFUSED_HEADER_TIMEOUT);
                LOG.atDebug().addKeyValue("client", addressOf(connection))
                        .log("edge: connection closed, no complete request head in time");
            }
            connection.close();
        }
    }

    private static String addressOf(HttpConnection connection) {
        SocketAddress remote = connection.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    /** A connection's wait for its next request head: since when, and the response in progress (null: none). */
    private static final class Waiting {
        private long since;
        private HttpServerResponse current;
        private int requests;

        private Waiting(long since) {
            this.since = since;
        }
    }
}

package io.depproxy.accelerator.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the public port one client may hold, and for how long, before it has asked for anything: the deadlines
 * for a request's headers and small body, the idle bound of a silent connection, connections per client address and
 * requests allowed to wait for a control-plane connection. Slow or greedy clients are cut off here so that they
 * cannot take the connections and memory everyone else is served with.
 *
 * @param headerTimeout            a connection's whole wait for complete request headers, from when it opened or its
 *                                 previous response ended (so also how long an idle keep-alive connection stays open)
 * @param requestBodyTimeout       the whole time a forwarded request body (at most 1 MiB) may take to arrive
 * @param idleTimeout              a connection silent both ways for this long is closed; longer than every wait the
 *                                 accelerator itself imposes ({@link ConfigLoader} refuses less)
 * @param maxConnectionsPerClient  concurrent connections per client address, 0 for no limit
 * @param backendMaxWaiters        requests (per event loop) that may wait for a free control-plane connection; one more
 *                                 is answered 503 at once
 */
public record EdgeSettings(
        Duration headerTimeout,
        Duration requestBodyTimeout,
        Duration idleTimeout,
        int maxConnectionsPerClient,
        int backendMaxWaiters) {

    /** The longest the control plane may stay silent before it answers (a tag revalidation waits on an upstream). */
    public static final Duration CONTROL_PLANE_ANSWER_TIMEOUT = Duration.ofSeconds(120);

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(180);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;
    public static final int DEFAULT_BACKEND_MAX_WAITERS = 256;

    public EdgeSettings {
        requirePositive("headerTimeout", headerTimeout);
        requirePositive("requestBodyTimeout", requestBodyTimeout);
        requirePositive("idleTimeout", idleTimeout);
        if (maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("maxConnectionsPerClient must not be negative (0: no limit)");
        }
        if (backendMaxWaiters < 0) {
            throw new IllegalArgumentException("backendMaxWaiters must not be negative");
        }
    }

    public static EdgeSettings defaults() {
        return new EdgeSettings(DEFAULT_HEADER_TIMEOUT, DEFAULT_REQUEST_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_BACKEND_MAX_WAITERS);
    }

    /** Whether connections per client address are limited at all. */
    public boolean limitsConnectionsPerClient() {
        return maxConnectionsPerClient > 0;
    }

    private static void requirePositive(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}

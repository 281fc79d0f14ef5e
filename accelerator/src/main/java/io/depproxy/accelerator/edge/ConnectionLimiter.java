package io.depproxy.accelerator.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent connections per client address (the TCP peer), shared by every event loop of the process: a client that
 * opens more than its share is refused at the door instead of holding file descriptors and event-loop time everyone
 * else needs. Behind a proxy every connection comes from the proxy's address, so there the limit is turned off
 * ({@code 0}) and the proxy limits per client instead.
 */
public final class ConnectionLimiter {
    private final int limit;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** @param limit connections per address, 0 for no limit (nothing is counted then) */
    public ConnectionLimiter(int limit) {
        this.limit = limit;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when that address is at its limit. */
    public boolean tryOpen(String address) {
        if (limit == 0) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** A connection {@link #tryOpen} admitted has closed. */
    public void closed(String address) {
        if (limit > 0) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Connections counted for {@code address} right now. */
    public int openFrom(String address) {
        return open.getOrDefault(address, 0);
    }
}

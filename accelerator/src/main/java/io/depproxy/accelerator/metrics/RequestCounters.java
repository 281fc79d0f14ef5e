package io.depproxy.accelerator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code accel_http_requests_total{route,status}}: counters cached per route template and status code, so that
 * counting a request on the hot path allocates nothing once its pair has been seen.
 */
final class RequestCounters {
    static final String NAME = "accel_http_requests_total";
    private static final int STATUS_LIMIT = 600;

    private final MeterRegistry registry;
    private final Map<String, AtomicReferenceArray<Counter>> byRoute = new ConcurrentHashMap<>();

    RequestCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String route, int status) {
        if (status < 0 || status >= STATUS_LIMIT) {
            register(route, status).increment();
            return;
        }
        AtomicReferenceArray<Counter> byStatus = byRoute.get(route);
        if (byStatus == null) {
            byStatus = byRoute.computeIfAbsent(route, r -> new AtomicReferenceArray<>(STATUS_LIMIT));
        }
        Counter counter = byStatus.get(status);
        if (counter == null) {
            // registering the same id twice answers the same counter, so a race here only costs a lookup
            counter = register(route, status);
            byStatus.set(status, counter);
        }
        counter.increment();
    }

    private Counter register(String route, int status) {
        return Counter.builder(NAME).description("Client requests by route template and status code")
                .tag("route", route).tag("status", Integer.toString(status)).register(registry);
    }
}

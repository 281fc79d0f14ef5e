package io.depproxy.accelerator.metrics;

import io.depproxy.contracts.observability.UpstreamOutcome;
import io.depproxy.contracts.senddata.SendDependency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-upstream series, labelled by the upstream's name only (never an image, a path or a group):
 * {@code accel_upstream_requests_total{upstream,outcome}}, {@code accel_upstream_bytes_total{upstream}},
 * {@code accel_upstream_latency_seconds{upstream}}, and {@code accel_upstream_ratelimit_limit{upstream}} /
 * {@code accel_upstream_ratelimit_remaining{upstream}} once the upstream sent its rate-limit headers.
 * Names come from the control plane's send-dependency (administrators configure a handful); past
 * {@link #MAX_UPSTREAMS} distinct names, further ones are counted as {@value #OTHER} so a broken control plane cannot
 * grow the scrape without bound. An upstream's meters are registered together on first use and cached.
 */
final class UpstreamMeters {
    static final int MAX_UPSTREAMS = 200;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Duration[] latencyBuckets;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

    UpstreamMeters(MeterRegistry registry, Duration[] latencyBuckets) {
        this.registry = registry;
        this.latencyBuckets = latencyBuckets.clone();
        of(SendDependency.UNKNOWN_UPSTREAM); // the series exist before the first miss
    }

    /** The meters of the upstream called {@code name}. */
    Upstream of(String name) {
        Upstream upstream = upstreams.get(name);
        if (upstream != null) {
            return upstream;
        }
        String label = upstreams.size() >= MAX_UPSTREAMS ? OTHER : name;
        return upstreams.computeIfAbsent(label, Upstream::new);
    }

    /** One upstream's meters. */
    final class Upstream {
        private final String name;
        private final Map<String, Counter> requests = new ConcurrentHashMap<>();
        private final Counter bytes;
        private final Timer latency;
        private volatile AtomicLong limit;
        private volatile AtomicLong remaining;

        private Upstream(String name) {
            this.name = name;
            for (String outcome : UpstreamOutcome.ALL) {
                requests.put(outcome, Counter.builder("accel_upstream_requests_total")
                        .description("Requests to upstream registries by outcome: ok, not_found, unauthorized (401/403),"
                                + " rate_limited (429), http_error, failed (no answer), timeout, refused (outbound policy)")
                        .tag("upstream", name).tag("outcome", outcome).register(registry));
            }
            bytes = Counter.builder("accel_upstream_bytes_total").description("Body bytes read from an upstream registry")
                    .tag("upstream", name).register(registry);
            latency = Timer.builder("accel_upstream_latency_seconds")
                    .description("Time until an upstream answered its head").tag("upstream", name)
                    .serviceLevelObjectives(latencyBuckets).register(registry);
        }

        void request(String outcome, Duration untilResponseHead) {
            Counter counter = requests.get(outcome);
            (counter != null ? counter : requests.get(UpstreamOutcome.FAILED)).increment();
            latency.record(untilResponseHead);
        }

        void bytes(long count) {
            bytes.increment(count);
        }

        void rateLimit(long limitValue, long remainingValue) {
            if (limitValue >= 0) {
                gauge("accel_upstream_ratelimit_limit", true).set(limitValue);
            }
            if (remainingValue >= 0) {
                gauge("accel_upstream_ratelimit_remaining", false).set(remainingValue);
            }
        }

        private AtomicLong gauge(String metric, boolean isLimit) {
            AtomicLong value = isLimit ? limit : remaining;
            if (value != null) {
                return value;
            }
            synchronized (this) {
                value = isLimit ? limit : remaining;
                if (value == null) {
                    value = new AtomicLong();
                    Gauge.builder(metric, value, AtomicLong::get).tag("upstream", name).strongReference(true)
                            .description(isLimit ? "The upstream's rate limit (its ratelimit-limit header)"
                                    : "Requests left in the upstream's rate-limit window (its ratelimit-remaining header)")
                            .register(registry);
                    if (isLimit) {
                        limit = value;
                    } else {
                        remaining = value;
                    }
                }
                return value;
            }
        }
    }
}

package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.observability.UpstreamOutcome;
import io.depproxy.contracts.observability.UpstreamRateLimit;
import io.depproxy.contracts.senddata.SendDependency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane's own calls to upstream registries (manifest and blob HEADs, tokens, tag lists, connection
 * tests), labelled by the upstream's name only: {@code dp_upstream_requests_total{upstream,outcome}} (outcomes of
 * {@link UpstreamOutcome}, a 429 apart), {@code dp_upstream_latency_seconds{upstream}} (a histogram, 5 ms to 120 s
 * as the accelerator's), and {@code dp_upstream_ratelimit_limit{upstream}} / {@code dp_upstream_ratelimit_remaining{upstream}}
 * from the last answer that carried Docker Hub's rate-limit headers (its manifest HEADs report them without
 * counting). Upstream names are few and set by administrators; past {@link #MAX_UPSTREAMS} of them further names
 * are counted as {@value #OTHER}.
 */
@Singleton
public class UpstreamMetrics {
    /** The label of a call made for no stored upstream (a connection test of a URL). */
    public static final String UNKNOWN = SendDependency.UNKNOWN_UPSTREAM;
    static final int MAX_UPSTREAMS = 200;
    static final String OTHER = "other";
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

    @Inject
    public UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters nobody scrapes (for an {@link UpstreamHttp} built outside the application). */
    public static UpstreamMetrics unscraped() {
        return new UpstreamMetrics(new SimpleMeterRegistry());
    }

    /** One call to {@code upstream}: its outcome and how long it took. */
    public void request(String upstream, String outcome, Duration duration) {
        Upstream meters = of(upstream);
        meters.requests.getOrDefault(outcome, meters.requests.get(UpstreamOutcome.FAILED)).increment();
        meters.latency.record(duration);
    }

    /** Reads an answer's rate-limit headers ({@link UpstreamRateLimit}) into the gauges; absent ones change nothing. */
    public void answer(String upstream, String limitHeader, String remainingHeader) {
        OptionalLong limit = UpstreamRateLimit.count(limitHeader);
        OptionalLong remaining = UpstreamRateLimit.count(remainingHeader);
        if (limit.isPresent()) {
            of(upstream).gauge("dp_upstream_ratelimit_limit", "The upstream's rate limit (its ratelimit-limit header)")
                    .set(limit.getAsLong());
        }
        if (remaining.isPresent()) {
            of(upstream).gauge("dp_upstream_ratelimit_remaining",
                    "Requests left in the upstream's rate-limit window (its ratelimit-remaining header)")
                    .set(remaining.getAsLong());
        }
    }

    private Upstream of(String name) {
        String label = name == null || name.isBlank() ? UNKNOWN : name;
        Upstream upstream = upstreams.get(label);
        if (upstream != null) {
            return upstream;
        }
        return upstreams.computeIfAbsent(upstreams.size() >= MAX_UPSTREAMS ? OTHER : label, Upstream::new);
    }

    private final class Upstream {
        private final String name;
        private final Map<String, Counter> requests = new HashMap<>();
        private final Timer latency;
        private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

        private Upstream(String name) {
            this.name = name;
            for (String outcome : UpstreamOutcome.ALL) {
                requests.put(outcome, Counter.builder("dp_upstream_requests_total")
                        .description("The control plane's requests to upstream registries (HEADs, tokens, tag lists,"
                                + " connection tests) by outcome")
                        .tag("upstream", name).tag("outcome", outcome).register(registry));
            }
            latency = Timer.builder("dp_upstream_latency_seconds")
                    .description("Time the control plane's upstream calls took, redirects and small bodies included")
                    .tag("upstream", name).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }

        private AtomicLong gauge(String metric, String description) {
            return gauges.computeIfAbsent(metric, key -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder(metric, value, AtomicLong::get).description(description).tag("upstream", name)
                        .strongReference(true).register(registry);
                return value;
            });
        }
    }
}

package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.registry.RegistryRequest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code dp_cache_decisions_total{kind,result}}, {@code dp_cache_uploads_total{kind,outcome}} and
 * {@code dp_cache_healed_records_total{kind}}, {@code dp_fetch_leases_total{outcome}}.
 */
@ApplicationScoped
public class CacheMetrics {
    @Inject
    MeterRegistry registry;

    /** {@code result}: hit, stale, miss or upstream_head. */
    public void decision(RegistryRequest.Kind kind, String result) {
        registry.counter("dp_cache_decisions_total", "kind", name(kind), "result", result).increment();
    }

    /** {@code outcome}: stored or rejected. */
    public void upload(RegistryRequest.Kind kind, String outcome) {
        registry.counter("dp_cache_uploads_total", "kind", name(kind), "outcome", outcome).increment();
    }

    /** Records dropped because their stored object was found gone ({@link MissingObjects}). */
    public void healed(RegistryRequest.Kind kind, int records) {
        registry.counter("dp_cache_healed_records_total", "kind", name(kind)).increment(records);
    }

    /** {@code dp_fetch_leases_total{outcome}}: a miss fetched under its lease ({@code fetch}) or sent to the peer. */
    public void fetchLease(String outcome) {
        registry.counter("dp_fetch_leases_total", "outcome", outcome).increment();
    }

    private static String name(RegistryRequest.Kind kind) {
        return kind == RegistryRequest.Kind.BLOB ? "blob" : "manifest";
    }
}

package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.depproxy.controlplane.domain.GroupStatisticsRepository.Counters;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The per-group counters behind {@code …/dependency_proxy/statistics} for misses and stores (hits, far more
 * frequent, are coalesced by {@link HitRecorder}). Each event is one
 * {@code UPDATE … SET x = x + ?} in its own short transaction; a failure is logged and never fails the pull.
 */
@ApplicationScoped
public class CacheStatistics {
    @Inject
    GroupStatisticsRepository statistics;

    /** A GET sent to the upstream. */
    public void miss(long groupId) {
        add(groupId, new Counters(0, 1, 0, 0));
    }

    /** A finalized upload: the bytes the accelerator fetched from the upstream and stored. */
    public void fetched(long groupId, long bytes) {
        add(groupId, new Counters(0, 0, 0, bytes));
    }

    private void add(long groupId, Counters delta) {
        try {
            QuarkusTransaction.requiringNew().run(() -> statistics.add(groupId, delta));
        } catch (RuntimeException e) {
            Log.warnf("statistics of group %d not counted: %s", groupId, e.getMessage());
        }
    }
}

package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.config.LifecycleConfig;
import io.depproxy.controlplane.domain.CacheTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

/**
 * The deletion workers of this replica: at most {@code DP_CLEANUP_WORKERS} drain the pending_destruction records at
 * once, each batch by batch until nothing it can delete is left. Started by the schedule and right after a purge, a
 * group deletion or a TTL run. Counted in {@code dp_cleanup_records_deleted_total{kind}} and
 * {@code dp_cleanup_deletion_failures_total{kind}}.
 */
@Singleton
public class CleanupWorkers {
    @Inject
    CacheCleanupService cleanup;
    @Inject
    LifecycleConfig config;
    @Inject
    MeterRegistry registry;

    private final AtomicInteger active = new AtomicInteger();
    private ManagedExecutor executor;
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        // a pool of its own, as prefetch's: the injected executor runs on the worker threads that serve requests
        executor = ManagedExecutor.builder().maxAsync(Math.max(1, config.cleanupWorkers())).maxQueued(-1)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
    }

    /** Starts idle workers (up to the limit); returns at once. */
    public void kick() {
        int limit = Math.max(1, config.cleanupWorkers());
        while (!stopping) {
            int running = active.get();
            if (running >= limit) {
                return;
            }
            if (active.compareAndSet(running, running + 1)) {
                executor.execute(this::work);
            }
        }
    }

    /** Drains on the calling thread (tests, and the workers themselves); returns the records removed. */
    public int drain() {
        int batch = Math.max(1, config.cleanupBatchSize());
        int total = 0;
        while (!stopping) {
            int progress = 0;
            boolean more = false;
            for (CacheTable table : CacheTable.values()) {
                CacheCleanupService.BatchResult result = cleanup.deleteBatch(table, batch);
                count(table, result);
                progress += result.deleted();
                more |= result.claimed() == batch;
            }
            total += progress;
            if (progress == 0 || !more) {
                return total;
            }
        }
        return total;
    }

    private void work() {
        try {
            int removed = drain();
            if (removed > 0) {
                Log.infof("cache cleanup: removed %d records and their objects", removed);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "cache cleanup failed");
        } finally {
            active.decrementAndGet();
        }
    }

    private void count(CacheTable table, CacheCleanupService.BatchResult result) {
        if (result.deleted() > 0) {
            registry.counter("dp_cleanup_records_deleted_total", "kind", table.kind()).increment(result.deleted());
        }
        if (result.failed() > 0) {
            registry.counter("dp_cleanup_deletion_failures_total", "kind", table.kind()).increment(result.failed());
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        executor.shutdownNow();
    }
}

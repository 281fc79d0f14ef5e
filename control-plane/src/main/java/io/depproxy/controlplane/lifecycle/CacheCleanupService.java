package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.domain.CacheLifecycleRepository;
import io.depproxy.controlplane.domain.CacheTable;
import io.depproxy.controlplane.domain.ObjectLocks;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One deletion batch: up to n pending_destruction records; for each, under its object's exclusive lock (so no
 * finalize is writing that object, and concurrent workers and replicas never handle it twice at once), check it is
 * still pending, delete the object, then the row. A record whose object a finalize is writing right now is left for
 * a later batch; an object another servable record still uses is kept. A failed deletion is counted on the record,
 * and its {@value #MAX_ATTEMPTS}rd failure leaves it in status error. No transaction is open during an object-store
 * call: each check and row change is a short transaction of its own. A crash between the object's deletion and the
 * row's leaves the record pending (deleting an object twice is harmless).
 */
@ApplicationScoped
public class CacheCleanupService {
    static final int MAX_ATTEMPTS = 3;

    @Inject
    CacheLifecycleRepository records;
    @Inject
    ObjectStorage storage;
    @Inject
    ObjectLocks locks;

    /** {@code claimed}: records found; {@code deleted}: records removed; {@code failed}: object deletions failed. */
    public record BatchResult(int claimed, int deleted, int failed, int skipped) {
    }

    private enum Outcome { DELETED, FAILED, SKIPPED }

    public BatchResult deleteBatch(CacheTable table, int limit) {
        var pending = QuarkusTransaction.requiringNew().call(() -> records.pending(table, limit));
        int deleted = 0;
        int failed = 0;
        int skipped = 0;
        for (CacheLifecycleRepository.Pending record : pending) {
            Outcome[] outcome = {Outcome.SKIPPED};
            locks.tryExclusive(record.objectKey(), () -> outcome[0] = deleteLocked(table, record));
            switch (outcome[0]) {
                case DELETED -> deleted++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
        }
        return new BatchResult(pending.size(), deleted, failed, skipped);
    }

    /** Holding the object's exclusive lock. */
    private Outcome deleteLocked(CacheTable table, CacheLifecycleRepository.Pending record) {
        boolean[] shared = {false};
        boolean stillPending = QuarkusTransaction.requiringNew().call(() -> {
            boolean pending = records.isPending(table, record.id());
            shared[0] = pending && table == CacheTable.MANIFESTS
                    && records.servedByAnotherRecord(table, record.objectKey(), record.id());
            return pending;
        });
        if (!stillPending) {
            return Outcome.SKIPPED;
        }
        if (!shared[0]) {
            try {
                storage.delete(record.objectKey());
            } catch (RuntimeException e) {
                Log.warnf("cache cleanup: deleting %s %s failed: %s", table.kind(), record.objectKey(), e.getMessage());
                QuarkusTransaction.requiringNew().run(() ->
                        records.recordFailedDeletion(table, record.id(), MAX_ATTEMPTS));
                return Outcome.FAILED;
            }
        }
        QuarkusTransaction.requiringNew().run(() -> records.deleteIfPending(table, record.id()));
        return Outcome.DELETED;
    }
}

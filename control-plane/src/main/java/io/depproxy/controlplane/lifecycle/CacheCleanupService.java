package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.domain.CacheLifecycleRepository;
import io.depproxy.controlplane.domain.CacheTable;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * One deletion batch: lock up to n pending_destruction records ({@code FOR UPDATE SKIP LOCKED}, so concurrent
 * workers and replicas never take the same one), delete each object, then its row, and commit. A record whose
 * object a finalize is writing right now is left for a later batch; an object another servable record still uses
 * is kept. A failed deletion is counted on the record, and its {@value #MAX_ATTEMPTS}rd failure leaves it in status
 * error. A crash before the commit leaves every record of the batch pending (deleting an object twice is harmless).
 */
@ApplicationScoped
public class CacheCleanupService {
    static final int MAX_ATTEMPTS = 3;

    @Inject
    CacheLifecycleRepository records;
    @Inject
    ObjectStorage storage;

    /** {@code claimed}: records locked; {@code deleted}: records removed; {@code failed}: object deletions failed. */
    public record BatchResult(int claimed, int deleted, int failed, int skipped) {
    }

    @Transactional
    public BatchResult deleteBatch(CacheTable table, int limit) {
        var claimed = records.lockPending(table, limit);
        int deleted = 0;
        int failed = 0;
        int skipped = 0;
        for (CacheLifecycleRepository.Claimed record : claimed) {
            if (!records.tryLockObjectExclusively(record.objectKey())) {
                skipped++;
                continue;
            }
            boolean shared = table == CacheTable.MANIFESTS
                    && records.servedByAnotherRecord(table, record.objectKey(), record.id());
            if (!shared) {
                try {
                    storage.delete(record.objectKey());
                } catch (RuntimeException e) {
                    Log.warnf("cache cleanup: deleting %s %s failed: %s", table.kind(), record.objectKey(),
                            e.getMessage());
                    records.recordFailedDeletion(table, record.id(), MAX_ATTEMPTS);
                    failed++;
                    continue;
                }
            }
            records.delete(table, record.id());
            deleted++;
        }
        return new BatchResult(claimed.size(), deleted, failed, skipped);
    }
}

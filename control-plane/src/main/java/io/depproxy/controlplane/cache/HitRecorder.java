package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.depproxy.controlplane.domain.GroupStatisticsRepository.Counters;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.lifecycle.PendingHits;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cache traffic without a write per request: {@code read_at} (and a tag's {@code validated_at}) per record and the
 * counters per group behind {@code …/dependency_proxy/statistics} (hits, misses, bytes served and fetched) are
 * coalesced in memory and written every {@code DP_HIT_FLUSH_INTERVAL} in one transaction, on demand before
 * statistics and listings are read and the TTL policy runs, and when the replica stops gracefully. A failed flush
 * puts what it took back, so nothing counted is lost while the replica runs.
 */
@ApplicationScoped
public class HitRecorder implements PendingHits {
    @Inject
    BlobRepository blobs;
    @Inject
    ManifestRepository manifests;
    @Inject
    GroupStatisticsRepository statistics;

    private final Map<Long, Instant> blobReads = new ConcurrentHashMap<>();
    private final Map<Long, Instant> manifestReads = new ConcurrentHashMap<>();
    private final Map<Long, Instant> manifestValidations = new ConcurrentHashMap<>();
    private final Map<Long, Counters> groupCounters = new ConcurrentHashMap<>();

    public void blobRead(long blobId) {
        blobReads.merge(blobId, Instant.now(), HitRecorder::later);
    }

    /** {@code validated}: the upstream just confirmed this record's digest for its tag. */
    public void manifestRead(long manifestId, boolean validated) {
        Instant now = Instant.now();
        manifestReads.merge(manifestId, now, HitRecorder::later);
        if (validated) {
            manifestValidations.merge(manifestId, now, HitRecorder::later);
        }
    }

    /** A GET served from the cache: one hit and the object's bytes. */
    public void hit(long groupId, long bytes) {
        count(groupId, new Counters(1, 0, bytes, 0));
    }

    /** A GET sent to the upstream. */
    public void miss(long groupId) {
        count(groupId, new Counters(0, 1, 0, 0));
    }

    /** A finalized upload: the bytes the accelerator fetched from the upstream and stored. */
    public void fetched(long groupId, long bytes) {
        count(groupId, new Counters(0, 0, 0, bytes));
    }

    private void count(long groupId, Counters delta) {
        groupCounters.merge(groupId, delta, HitRecorder::sum);
    }

    @Scheduled(identity = "dp-hit-flush", every = "${dp.hit-flush-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledFlush() {
        flush();
    }

    void onStop(@Observes ShutdownEvent event) {
        flush();
    }

    /** Writes everything recorded so far; a failure is logged and the hits are kept for the next flush. */
    public synchronized void flush() {
        Map<Long, Instant> blobBatch = take(blobReads);
        Map<Long, Instant> readBatch = take(manifestReads);
        Map<Long, Instant> validatedBatch = take(manifestValidations);
        Map<Long, Counters> hitBatch = take(groupCounters);
        if (blobBatch.isEmpty() && readBatch.isEmpty() && validatedBatch.isEmpty() && hitBatch.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                blobBatch.forEach(blobs::touchIfLater);
                readBatch.forEach(manifests::touchIfLater);
                validatedBatch.forEach(manifests::validatedIfLater);
                hitBatch.forEach(statistics::add);
            });
        } catch (RuntimeException e) {
            Log.warnf("cache hits not written yet, kept for the next flush: %s", e.getMessage());
            blobBatch.forEach((id, at) -> blobReads.merge(id, at, HitRecorder::later));
            readBatch.forEach((id, at) -> manifestReads.merge(id, at, HitRecorder::later));
            validatedBatch.forEach((id, at) -> manifestValidations.merge(id, at, HitRecorder::later));
            hitBatch.forEach((id, counters) -> groupCounters.merge(id, counters, HitRecorder::sum));
        }
    }

    /** Removes each entry atomically, so a hit recorded meanwhile stays for the next flush. */
    private static <V> Map<Long, V> take(Map<Long, V> live) {
        Map<Long, V> batch = new HashMap<>();
        for (Long key : live.keySet()) {
            V value = live.remove(key);
            if (value != null) {
                batch.put(key, value);
            }
        }
        return batch;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Counters sum(Counters a, Counters b) {
        return new Counters(a.hits() + b.hits(), a.misses() + b.misses(),
                a.bytesServedFromCache() + b.bytesServedFromCache(), a.bytesFetchedUpstream() + b.bytesFetchedUpstream());
    }
}

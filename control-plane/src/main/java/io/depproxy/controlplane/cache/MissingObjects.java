package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.domain.ObjectLocks;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Heals records whose stored object is gone (a purge or TTL run racing a hit, a moved tag's old object, an operator's
 * bucket clean-up): the servable records of the object are dropped, so the next decision is a miss fetched from the
 * upstream, and this replica's decision cache forgets them (other replicas within {@code DP_DECISION_CACHE_TTL}).
 * Nobody is believed on their word: the object must be missing from storage, checked again under its exclusive lock
 * (the one a finalize writing that object holds shared), so a report about an object that exists, or that a finalize
 * is storing right now, changes nothing. Counted in {@code dp_cache_healed_records_total{kind}}.
 */
@ApplicationScoped
public class MissingObjects {
    /** Where the accelerator reports an object that answered 404 (send-url {@code MissingUrl}); never public. */
    public static final String REPORT_PATH = "/-/internal/missing-objects";

    @Inject
    ObjectStorage storage;
    @Inject
    ObjectLocks locks;
    @Inject
    BlobRepository blobs;
    @Inject
    ManifestRepository manifests;
    @Inject
    ManifestRecords servable;
    @Inject
    CacheMetrics metrics;

    /** The send-url {@code MissingUrl} of an object: the report route, naming the object in its query. */
    public static String reportUrl(String objectKey) {
        return REPORT_PATH + "?key=" + URLEncoder.encode(objectKey, StandardCharsets.UTF_8);
    }

    /** Whether {@code objectKey} names a stored blob or manifest (the only objects a report may name). */
    public static boolean isRecordObject(String objectKey) {
        return ObjectKeys.isBlob(objectKey) || ObjectKeys.isManifest(objectKey);
    }

    /**
     * True when {@code objectKey} is confirmed gone; its servable records are then dropped. False when it exists, when
     * storage cannot tell, or when a finalize or a deletion worker holds its lock right now (leave it to them).
     */
    public boolean healIfMissing(String objectKey) {
        if (!isRecordObject(objectKey)) {
            throw new IllegalArgumentException("not the key of a stored blob or manifest");
        }
        if (exists(objectKey)) {
            return false;
        }
        RegistryRequest.Kind kind = ObjectKeys.isBlob(objectKey) ? RegistryRequest.Kind.BLOB
                : RegistryRequest.Kind.MANIFEST;
        int[] dropped = {-1};
        locks.tryExclusive(objectKey, () -> {
            if (!exists(objectKey)) {
                dropped[0] = QuarkusTransaction.requiringNew().call(() -> kind == RegistryRequest.Kind.BLOB
                        ? blobs.dropServable(objectKey) : manifests.dropServable(objectKey));
            }
        });
        if (dropped[0] < 0) {
            return false;
        }
        if (kind == RegistryRequest.Kind.MANIFEST) {
            servable.forgetObject(objectKey);
        }
        metrics.healed(kind, dropped[0]);
        if (dropped[0] > 0) {
            Log.infof("stored object %s is gone: dropped %d servable record(s)", objectKey, dropped[0]);
        }
        return true;
    }

    /** Storage that cannot answer counts as "exists": nothing is dropped on a guess. */
    private boolean exists(String objectKey) {
        try {
            return storage.stat(objectKey).isPresent();
        } catch (StorageException e) {
            Log.warnf("cannot tell whether %s exists: %s", objectKey, e.getMessage());
            return true;
        }
    }
}

package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.config.LifecycleConfig;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectListing;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Temporary uploads ({@code tmp/uploads/…}) that were never finalized: the accelerator died, or its finalize never
 * came. Once older than the presigned URLs' expiry ({@code DP_TMP_UPLOAD_MAX_AGE}, 4 h 15 min) nobody can write or
 * finalize them any more, so they are deleted, and unfinished multipart uploads under that prefix are aborted.
 */
@ApplicationScoped
public class TemporaryUploadSweeper {
    @Inject
    ObjectListing listing;
    @Inject
    ObjectStorage storage;
    @Inject
    LifecycleConfig config;

    /** Returns the objects deleted plus the multipart uploads aborted. */
    public int sweep() {
        return sweepOlderThan(Instant.now().minus(config.tmpUploadMaxAge()));
    }

    /** Removes temporary uploads written (or multipart uploads started) before {@code cutoff}. */
    public int sweepOlderThan(Instant cutoff) {
        AtomicInteger removed = new AtomicInteger();
        listing.forEachObject(ObjectKeys.TEMPORARY_PREFIX, object -> {
            if (object.lastModified().isBefore(cutoff)) {
                storage.delete(object.key());
                removed.incrementAndGet();
            }
        });
        try {
            listing.forEachMultipartUpload(ObjectKeys.TEMPORARY_PREFIX, upload -> {
                if (upload.lastModified().isBefore(cutoff)) {
                    listing.abortMultipart(upload.key(), upload.uploadId());
                    removed.incrementAndGet();
                }
            });
        } catch (StorageException e) {
            Log.debugf("temporary uploads: cannot list multipart uploads: %s", e.getMessage());
        }
        if (removed.get() > 0) {
            Log.infof("temporary uploads: removed %d never finalized before %s", removed.get(), cutoff);
        }
        return removed.get();
    }
}

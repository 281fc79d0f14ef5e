package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.domain.ObjectLocks;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Writes to the cache records, each in its own short transaction (never held across upstream or object-store
 * calls; a store holds its object's lock, which needs no transaction, while it checks the object exists). Hits are
 * not written here but coalesced by {@link HitRecorder}.
 */
@ApplicationScoped
public class CacheRecordService {
    @Inject
    BlobRepository blobs;
    @Inject
    ManifestRepository manifests;
    @Inject
    ObjectLocks locks;

    /** The upstream just confirmed the manifest's digest for its tag (read at the same moment). */
    @Transactional
    public void manifestValidated(long manifestId, Instant at) {
        manifests.validatedIfLater(manifestId, at);
        manifests.touchIfLater(manifestId, at);
    }

    /**
     * The right to store a blob, for the store {@code owner}: true unless a store behind another replica holds a live
     * lease on it or it is already cached. A record awaiting deletion does not block a store (finalize revives it
     * under the object's lock).
     */
    @Transactional
    public boolean claimBlobUpload(long groupId, String digest, String objectKey, Duration lease, String owner) {
        String fileName = CachedBlob.fileName(digest);
        return blobs.claimUploadLease(groupId, fileName, digest, objectKey, lease, owner)
                || blobs.isPendingDestruction(groupId, fileName);
    }

    /**
     * Gives up {@code owner}'s lease on the blob at once (a lease another store holds is left alone), so the next
     * pull through any replica may store the blob. Never throws: a lease that cannot be released expires.
     */
    public void releaseBlobUploadQuietly(long groupId, String digest, String owner) {
        try {
            QuarkusTransaction.requiringNew().run(() ->
                    blobs.releaseUploadLease(groupId, CachedBlob.fileName(digest), owner));
        } catch (RuntimeException e) {
            Log.warnf("could not release the upload lease of %s: %s", digest, e.getMessage());
        }
    }

    /**
     * Makes the blob servable. {@code ensureObject} runs first, under the object's lock (shared with other
     * finalizes, exclusive of the deletion workers), and must leave the object in place: a worker may have deleted
     * it between the caller's copy and this lock. No transaction is open while it runs; the record is written in a
     * short one before the lock is let go. {@code fetchedAhead}: the accelerator's read-ahead downloaded it and no
     * client has asked for it yet (the first client request for it then counts as the group's miss).
     */
    public void storeBlob(long groupId, String digest, long size, String objectKey, Long upstreamId,
                          boolean fetchedAhead, Runnable ensureObject) {
        locks.withShared(objectKey, () -> {
            ensureObject.run();
            QuarkusTransaction.requiringNew().run(() ->
                    blobs.insertOrRevive(groupId, CachedBlob.fileName(digest), digest, size, objectKey,
                            upstreamId, fetchedAhead));
            return null;
        });
    }

    /** The first client request for a blob the read-ahead stored; true for exactly one caller. */
    public boolean claimFetchedAhead(long blobId) {
        return QuarkusTransaction.requiringNew().call(() -> blobs.claimFetchedAhead(blobId));
    }

    /**
     * As {@link #storeBlob}, for a manifest. A record of the same tag that pointed at another manifest is handed to
     * the deletion workers with its object; returns the ids of such records (then forget them, and kick the workers).
     */
    public List<Long> storeManifest(long groupId, String image, String reference, String digest, String contentType,
                                 long size, String objectKey, Long upstreamId, Runnable ensureObject) {
        String fileName = CachedManifest.fileName(image, reference);
        return locks.withShared(objectKey, () -> {
            ensureObject.run();
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Long> replaced = manifests.retireReplaced(groupId, fileName, objectKey);
                manifests.upsert(groupId, image, fileName, digest, contentType, size, objectKey, upstreamId);
                return replaced;
            });
        });
    }
}

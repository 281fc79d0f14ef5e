package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CacheLifecycleRepository;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes to the cache records, each in its own short transaction (never held across upstream calls; a store holds
 * its object's lock while it checks the object exists).
 * {@code read_at} is touched at most once a minute per record, so hot hits do not each cost a write.
 */
@ApplicationScoped
public class CacheRecordService {
    static final Duration READ_AT_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    BlobRepository blobs;
    @Inject
    ManifestRepository manifests;
    @Inject
    CacheLifecycleRepository lifecycle;

    @Transactional
    public void blobRead(CachedBlob blob) {
        Instant now = Instant.now();
        if (blob.getReadAt() == null || blob.getReadAt().plus(READ_AT_GRANULARITY).isBefore(now)) {
            blobs.touch(blob.getId(), now);
        }
    }

    /** {@code validated}: the upstream just confirmed this digest for the tag. */
    @Transactional
    public void manifestRead(CachedManifest manifest, boolean validated) {
        Instant now = Instant.now();
        if (validated || manifest.getReadAt() == null || manifest.getReadAt().plus(READ_AT_GRANULARITY).isBefore(now)) {
            manifests.touch(manifest.getId(), now, validated);
        }
    }

    /**
     * The right to store a blob: true unless a store behind another replica holds a live lease on it or it is already
     * cached. A record awaiting deletion does not block a store (finalize revives it under the object's lock).
     */
    @Transactional
    public boolean claimBlobUpload(long groupId, String digest, String objectKey, Duration lease) {
        String fileName = CachedBlob.fileName(digest);
        return blobs.claimUploadLease(groupId, fileName, digest, objectKey, lease)
                || blobs.isPendingDestruction(groupId, fileName);
    }

    @Transactional
    public void releaseBlobUpload(long groupId, String digest) {
        blobs.releaseUploadLease(groupId, CachedBlob.fileName(digest));
    }

    /**
     * Makes the blob servable. {@code ensureObject} runs first, under the object's lock (shared with other
     * finalizes, exclusive of the deletion workers), and must leave the object in place: a worker may have deleted
     * it between the caller's copy and this lock.
     */
    @Transactional
    public void storeBlob(long groupId, String digest, long size, String objectKey, Runnable ensureObject) {
        lifecycle.lockObjectShared(objectKey);
        ensureObject.run();
        blobs.insertOrRevive(groupId, CachedBlob.fileName(digest), digest, size, objectKey);
    }

    /** As {@link #storeBlob}, for a manifest. */
    @Transactional
    public void storeManifest(long groupId, String image, String reference, String digest, String contentType,
                              long size, String objectKey, Runnable ensureObject) {
        lifecycle.lockObjectShared(objectKey);
        ensureObject.run();
        manifests.upsert(groupId, image, CachedManifest.fileName(image, reference), digest, contentType, size,
                objectKey);
    }
}

package io.depproxy.controlplane.prefetch;

import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CacheStatus;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;

/**
 * Whether what a prefetch pulled is in the cache. A pull through the registry is answered as soon as the bytes are
 * verified; the accelerator stores them afterwards (once its other downloads have ended, at most 10 s later, then
 * the upload itself), so a job that counted its images done at the last byte could be reported finished, and the
 * upstream switched off, before its objects were servable. A job's image is done once every manifest and blob it
 * pulled has a servable record in the group.
 */
@ApplicationScoped
public class StoredObjects {
    /** How long an image's objects may take to be stored after its last byte was pulled. */
    static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration FIRST_LOOK = Duration.ofMillis(100);
    private static final Duration LONGEST_LOOK = Duration.ofSeconds(2);

    @Inject
    BlobRepository blobs;
    @Inject
    ManifestRepository manifests;

    /**
     * Waits (on the prefetch worker's own thread) until all are stored; false when {@link #PATIENCE} ran out first.
     * Looks after 100 ms, then less and less often, up to every 2 s: a store is seconds, the patience minutes.
     */
    boolean awaitStored(long groupId, Collection<String> manifestDigests, Collection<String> blobDigests)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Duration pause = FIRST_LOOK;
        while (!allStored(groupId, manifestDigests, blobDigests)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : pause.multipliedBy(2);
        }
        return true;
    }

    boolean allStored(long groupId, Collection<String> manifestDigests, Collection<String> blobDigests) {
        return QuarkusTransaction.requiringNew().call(() ->
                manifestDigests.stream().allMatch(digest -> manifests.findActiveByDigest(groupId, digest).isPresent())
                        && blobDigests.stream().allMatch(digest -> blobs.findByFileName(groupId,
                                CachedBlob.fileName(digest)).filter(b -> b.getStatus() == CacheStatus.DEFAULT)
                                .isPresent()));
    }
}

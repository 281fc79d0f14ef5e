package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.support.ShortLivedCache;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The servable manifest records, read through a per-replica cache: a record found servable is reused for at most
 * {@code DP_DECISION_CACHE_TTL}, so one purged, expired or replaced on any replica stops being served within that
 * bound. Only servable records are kept: an absent one is always looked up again. On the replica that makes the
 * change, a record replaced by a tag's new manifest, or whose object was found gone, is forgotten at once.
 */
@ApplicationScoped
public class ManifestRecords {
    private static final int MAX_RECORDS = 20_000;

    /** By digest ({@code fileName} null) or by the record's file name. */
    private record Key(long groupId, String digest, String fileName) {
    }

    @Inject
    ManifestRepository manifests;
    @Inject
    HotPathConfig hotPath;

    private ShortLivedCache<Key, ServableManifest> servable;

    @PostConstruct
    void createCache() {
        servable = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_RECORDS);
    }

    public Optional<ServableManifest> byDigest(long groupId, String digest) {
        return servable.get(new Key(groupId, digest, null),
                key -> manifests.findActiveByDigest(groupId, digest).map(ServableManifest::of));
    }

    /** The record of {@code <image>:<tag>}; {@code fresh}: skip the cache (it may predate another replica's store). */
    public Optional<ServableManifest> byTag(long groupId, String image, String tag, boolean fresh) {
        Key key = new Key(groupId, null, CachedManifest.fileName(image, tag));
        if (fresh) {
            servable.remove(key);
        }
        return servable.get(key, k -> manifests.findActiveByFileName(groupId, k.fileName()).map(ServableManifest::of));
    }

    /** The upstream just confirmed the record of {@code <image>:<tag>}: this replica sees the new validation at once. */
    public void validated(long groupId, String image, String tag, ServableManifest manifest, Instant at) {
        servable.put(new Key(groupId, null, CachedManifest.fileName(image, tag)), manifest.validatedAt(at));
    }

    /**
     * A manifest was just stored for {@code <image>:<tag>} here, retiring the records {@code superseded}: the tag and
     * every entry of a retired record are looked up again (the deletion workers are about to remove their objects).
     */
    public void stored(long groupId, String image, String tag, Collection<Long> superseded) {
        servable.remove(new Key(groupId, null, CachedManifest.fileName(image, tag)));
        if (!superseded.isEmpty()) {
            servable.removeIfValue(manifest -> superseded.contains(manifest.id()));
        }
    }

    /** Forgets every record stored at {@code objectKey} (the object is gone). */
    public void forgetObject(String objectKey) {
        servable.removeIfValue(manifest -> manifest.objectKey().equals(objectKey));
    }

    /**
     * The records {@code <image>:<tag>} moved away from that still exist (the deletion workers have not removed them
     * yet), newest first, at most {@code limit}; never cached.
     */
    public List<ServableManifest> superseded(long groupId, String image, String tag, int limit) {
        return manifests.supersededOfTag(groupId, CachedManifest.fileName(image, tag), limit).stream()
                .map(ServableManifest::of).toList();
    }

    /** Forgets the group's records (they were just purged here). */
    public void forgetGroup(long groupId) {
        servable.removeIf(key -> key.groupId() == groupId);
    }
}

package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.query.NativeQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ManifestRepository implements PanacheRepository<CachedManifest> {
    /** What a retired record's file name gets, before its id: no tag or digest can hold an {@code @}. */
    private static final String REPLACED_MARK = "@replaced-";

    /** The servable record for {@code <image>:<reference>.json}. */
    public Optional<CachedManifest> findActiveByFileName(long groupId, String fileName) {
        return find("groupId = ?1 and fileName = ?2 and status = ?3", groupId, fileName, CacheStatus.DEFAULT.code())
                .firstResultOptional();
    }

    /** Any servable record of the group with that digest (manifests are content-addressed). */
    public Optional<CachedManifest> findActiveByDigest(long groupId, String digest) {
        return find("groupId = ?1 and digest = ?2 and status = ?3 order by id", groupId, digest,
                CacheStatus.DEFAULT.code()).firstResultOptional();
    }

    /** The upstream of the newest servable record of {@code image} in the group, if one is known. */
    public Optional<Long> upstreamOfImage(long groupId, String image) {
        return find("groupId = ?1 and imageName = ?2 and status = ?3 and upstreamId is not null order by updatedAt desc",
                groupId, image, CacheStatus.DEFAULT.code()).firstResultOptional().map(CachedManifest::getUpstreamId);
    }

    /** The newest servable record of {@code image} in the group (is the repository cached here?). */
    public Optional<CachedManifest> newestOfImage(long groupId, String image) {
        return find("groupId = ?1 and imageName = ?2 and status = ?3 order by updatedAt desc", groupId, image,
                CacheStatus.DEFAULT.code()).firstResultOptional();
    }

    /** The group's records in any status, oldest first. */
    public Page<CachedManifest> pageOfGroup(long groupId, PageRequest request) {
        PanacheQuery<CachedManifest> query = find("groupId", Sort.by("id"), groupId);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** The group's records whose image name contains {@code search} (any case), oldest first. */
    public Page<CachedManifest> pageOfGroup(long groupId, String search, PageRequest request) {
        if (search.isEmpty()) {
            return pageOfGroup(groupId, request);
        }
        PanacheQuery<CachedManifest> query = find("groupId = ?1 and locate(lower(?2), lower(imageName)) > 0", Sort.by("id"), groupId,
                search);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** The group's servable records of these media types, most recently pulled first, at most {@code limit}. */
    public List<CachedManifest> newestServable(long groupId, List<String> contentTypes, int limit) {
        return find("groupId = ?1 and status = ?2 and contentType in ?3", Sort.descending("readAt", "id"), groupId,
                CacheStatus.DEFAULT.code(), contentTypes).page(0, limit).list();
    }

    public Optional<CachedManifest> findByFileName(long groupId, String fileName) {
        return find("groupId = ?1 and fileName = ?2", groupId, fileName).firstResultOptional();
    }

    /**
     * The records a tag moved away from ({@link #retireReplaced}) that the deletion workers have not removed yet,
     * newest first, at most {@code limit}.
     */
    public List<CachedManifest> supersededOfTag(long groupId, String fileName, int limit) {
        String prefix = fileName + REPLACED_MARK;
        return find("groupId = ?1 and substring(fileName, 1, ?2) = ?3 order by id desc", groupId, prefix.length(),
                prefix).page(0, limit).list();
    }

    /** Deletes the servable records of {@code objectKey} (its object is gone); returns how many. */
    public int dropServable(String objectKey) {
        return getEntityManager().createNativeQuery(
                        "DELETE FROM dependency_proxy_manifests WHERE object_key = ?1 AND status = 0")
                .setParameter(1, objectKey).executeUpdate();
    }

    /** Moves {@code read_at} forward to {@code at} (never back: another replica may have written a later one). */
    public void touchIfLater(long id, Instant at) {
        update("readAt = ?1 where id = ?2 and readAt < ?1", at, id);
    }

    /** Moves {@code validated_at} forward to {@code at}. */
    public void validatedIfLater(long id, Instant at) {
        update("validatedAt = ?1 where id = ?2 and validatedAt < ?1", at, id);
    }

    /**
     * A tag moving to another manifest: the record of {@code fileName} that points at another object than
     * {@code newObjectKey} becomes a pending_destruction record of its own (renamed {@code <file name>@replaced-<id>},
     * a name no tag or digest can have), so the deletion workers remove the old object unless another record still
     * serves it. Returns the ids of the records retired (none or one).
     */
    @SuppressWarnings("unchecked")
    public List<Long> retireReplaced(long groupId, String fileName, String newObjectKey) {
        List<Number> ids = getEntityManager().createNativeQuery("""
                UPDATE dependency_proxy_manifests SET file_name = file_name || ?4 || id, status = 1,
                    deletion_attempts = 0, updated_at = now()
                WHERE group_id = ?1 AND file_name = ?2 AND object_key <> ?3
                RETURNING id""")
                .setParameter(1, groupId).setParameter(2, fileName).setParameter(3, newObjectKey)
                .setParameter(4, REPLACED_MARK)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** Inserts the record or replaces the one with the same (group, file name), making it servable again. */
    public void upsert(long groupId, String image, String fileName, String digest, String contentType, long size,
                       String objectKey, Long upstreamId) {
        getEntityManager().createNativeQuery("""
                INSERT INTO dependency_proxy_manifests
                    (group_id, image_name, file_name, digest, content_type, size, object_key, upstream_id, status,
                     read_at, validated_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, now(), now(), now(), now())
                ON CONFLICT (group_id, file_name) DO UPDATE SET
                    image_name = EXCLUDED.image_name, digest = EXCLUDED.digest,
                    content_type = EXCLUDED.content_type, size = EXCLUDED.size, object_key = EXCLUDED.object_key,
                    upstream_id = EXCLUDED.upstream_id,
                    status = 0, deletion_attempts = 0, read_at = now(), validated_at = now(), updated_at = now()""")
                .setParameter(1, groupId).setParameter(2, image).setParameter(3, fileName)
                .setParameter(4, digest).setParameter(5, contentType).setParameter(6, size)
                .setParameter(7, objectKey)
                .unwrap(NativeQuery.class).setParameter(8, upstreamId, Long.class)
                .executeUpdate();
    }
}

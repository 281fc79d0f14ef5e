package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class BlobRepository implements PanacheRepository<CachedBlob> {

    public Optional<CachedBlob> findByFileName(long groupId, String fileName) {
        return find("groupId = ?1 and fileName = ?2", groupId, fileName).firstResultOptional();
    }

    /** The group's records in any status, oldest first. */
    public Page<CachedBlob> pageOfGroup(long groupId, PageRequest request) {
        PanacheQuery<CachedBlob> query = find("groupId", Sort.by("id"), groupId);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    public void touch(long id, Instant now) {
        update("readAt = ?1 where id = ?2", now, id);
    }

    /** Inserts the record; an existing servable one is left alone, a non-servable one becomes servable again. */
    public void insertOrRevive(long groupId, String fileName, String digest, long size, String objectKey) {
        getEntityManager().createNativeQuery("""
                INSERT INTO dependency_proxy_blobs
                    (group_id, file_name, digest, size, object_key, status, read_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, 0, now(), now(), now())
                ON CONFLICT (group_id, file_name) DO UPDATE SET
                    size = EXCLUDED.size, object_key = EXCLUDED.object_key, status = 0, deletion_attempts = 0,
                    read_at = now(), updated_at = now()
                WHERE dependency_proxy_blobs.status <> 0""")
                .setParameter(1, groupId).setParameter(2, fileName).setParameter(3, digest)
                .setParameter(4, size).setParameter(5, objectKey)
                .executeUpdate();
    }
}

package io.depproxy.controlplane.domain;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.query.NativeQuery;
import java.time.Duration;
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

    /** The group's records whose digest contains {@code search} (any case), oldest first. */
    public Page<CachedBlob> pageOfGroup(long groupId, String search, PageRequest request) {
        if (search.isEmpty()) {
            return pageOfGroup(groupId, request);
        }
        PanacheQuery<CachedBlob> query = find("groupId = ?1 and locate(lower(?2), lower(fileName)) > 0", Sort.by("id"), groupId,
                search);
        return new Page<>(query.page(request.panache()).list(), query.count(), request);
    }

    /** Moves {@code read_at} forward to {@code at} (never back: another replica may have written a later one). */
    public void touchIfLater(long id, Instant at) {
        update("readAt = ?1 where id = ?2 and readAt < ?1", at, id);
    }

    /** Deletes the servable records of {@code objectKey} (its object is gone); returns how many. */
    public int dropServable(String objectKey) {
        return getEntityManager().createNativeQuery(
                        "DELETE FROM dependency_proxy_blobs WHERE object_key = ?1 AND status = 0")
                .setParameter(1, objectKey).executeUpdate();
    }

    /**
     * Inserts the record; an existing servable one is left alone, a non-servable one becomes servable again.
     * {@code fetchedAhead}: the accelerator's read-ahead stored it before any client asked for it.
     */
    public void insertOrRevive(long groupId, String fileName, String digest, long size, String objectKey,
                               Long upstreamId, boolean fetchedAhead) {
        getEntityManager().createNativeQuery("""
                INSERT INTO dependency_proxy_blobs
                    (group_id, file_name, digest, size, object_key, upstream_id, status, read_at, created_at,
                     updated_at, fetched_ahead)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, now(), now(), now(), ?7)
                ON CONFLICT (group_id, file_name) DO UPDATE SET
                    size = EXCLUDED.size, object_key = EXCLUDED.object_key, upstream_id = EXCLUDED.upstream_id,
                    fetched_ahead = EXCLUDED.fetched_ahead, status = 0, deletion_attempts = 0,
                    lease_until = NULL, lease_owner = NULL, read_at = now(), updated_at = now()
                WHERE dependency_proxy_blobs.status <> 0""")
                .setParameter(1, groupId).setParameter(2, fileName).setParameter(3, digest)
                .setParameter(4, size).setParameter(5, objectKey)
                .setParameter(7, fetchedAhead)
                .unwrap(NativeQuery.class).setParameter(6, upstreamId, Long.class)
                .executeUpdate();
    }

    /**
     * The first client request for a blob the read-ahead stored: true for exactly one caller across replicas (the
     * one whose update cleared the flag).
     */
    public boolean claimFetchedAhead(long id) {
        return update("fetchedAhead = false where id = ?1 and fetchedAhead = true", id) == 1;
    }

    /**
     * Takes the upload lease of a blob for {@code owner}: inserts a {@code processing} record, or takes over one whose
     * lease expired or that ended in {@code error}. False when another store holds a live lease, the blob is already
     * cached, or its record awaits deletion.
     */
    public boolean claimUploadLease(long groupId, String fileName, String digest, String objectKey, Duration lease,
                                    String owner) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO dependency_proxy_blobs
                    (group_id, file_name, digest, size, object_key, status, lease_until, lease_owner,
                     read_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, 0, ?4, 2, now() + make_interval(secs => ?5), ?6, now(), now(), now())
                ON CONFLICT (group_id, file_name) DO UPDATE SET
                    status = 2, lease_until = EXCLUDED.lease_until, lease_owner = EXCLUDED.lease_owner,
                    updated_at = now()
                WHERE dependency_proxy_blobs.status = 3
                   OR (dependency_proxy_blobs.status = 2
                       AND (dependency_proxy_blobs.lease_until IS NULL OR dependency_proxy_blobs.lease_until < now()))""")
                .setParameter(1, groupId).setParameter(2, fileName).setParameter(3, digest)
                .setParameter(4, objectKey).setParameter(5, (double) lease.toSeconds()).setParameter(6, owner)
                .executeUpdate() == 1;
    }

    /** Whether the blob's record is waiting for the deletion workers (a new store may revive it). */
    public boolean isPendingDestruction(long groupId, String fileName) {
        return findByFileName(groupId, fileName).map(b -> b.getStatus() == CacheStatus.PENDING_DESTRUCTION).orElse(false);
    }

    /** Drops the blob's {@code processing} record if {@code owner} holds its lease; true when it did. */
    public boolean releaseUploadLease(long groupId, String fileName, String owner) {
        return getEntityManager().createNativeQuery("""
                        DELETE FROM dependency_proxy_blobs
                        WHERE group_id = ?1 AND file_name = ?2 AND status = 2 AND lease_owner = ?3""")
                .setParameter(1, groupId).setParameter(2, fileName).setParameter(3, owner).executeUpdate() == 1;
    }
}

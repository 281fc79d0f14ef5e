package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * The lifecycle's SQL on both cache tables: marking records {@code pending_destruction} (TTL, purge, deleted
 * groups) and the deletion workers' queue. Objects are guarded by {@link ObjectLocks}: finalize holds an object's
 * lock shared while it writes the object and makes its record servable, a worker holds it exclusively while it
 * decides to delete the object and does. Every method needs the caller's (short) transaction.
 */
@ApplicationScoped
public class CacheLifecycleRepository {
    private static final String SUBTREE = """
            WITH RECURSIVE subtree(id, depth) AS (
                SELECT id, 0 FROM namespaces WHERE id = ?1
                UNION ALL
                SELECT n.id, s.depth + 1 FROM namespaces n JOIN subtree s ON n.parent_id = s.id WHERE s.depth < 100)
            """;

    @Inject
    EntityManager em;

    /** A record waiting for deletion, as a worker found it (it may have been revived or deleted since). */
    public record Pending(long id, String objectKey) {
    }

    /** Up to {@code limit} pending_destruction records, oldest first. */
    @SuppressWarnings("unchecked")
    public List<Pending> pending(CacheTable table, int limit) {
        List<Object[]> rows = em.createNativeQuery("SELECT id, object_key FROM " + table.table()
                        + " WHERE status = 1 ORDER BY updated_at, id LIMIT ?1")
                .setParameter(1, limit).getResultList();
        return rows.stream().map(row -> new Pending(((Number) row[0]).longValue(), (String) row[1])).toList();
    }

    /** Whether the record still waits for deletion (a finalize may have made it servable again). */
    public boolean isPending(CacheTable table, long id) {
        return (Boolean) em.createNativeQuery("SELECT EXISTS (SELECT 1 FROM " + table.table()
                        + " WHERE id = ?1 AND status = 1)")
                .setParameter(1, id).getSingleResult();
    }

    /** True when another servable record points at the same object (manifests share content-addressed objects). */
    public boolean servedByAnotherRecord(CacheTable table, String objectKey, long id) {
        return (Boolean) em.createNativeQuery("SELECT EXISTS (SELECT 1 FROM " + table.table()
                        + " WHERE object_key = ?1 AND id <> ?2 AND status = 0)")
                .setParameter(1, objectKey).setParameter(2, id).getSingleResult();
    }

    /** Deletes the record if it still waits for deletion. */
    public void deleteIfPending(CacheTable table, long id) {
        em.createNativeQuery("DELETE FROM " + table.table() + " WHERE id = ?1 AND status = 1").setParameter(1, id)
                .executeUpdate();
    }

    /** Counts a failed object deletion; the {@code maxAttempts}-th failure leaves the record in status error. */
    public void recordFailedDeletion(CacheTable table, long id, int maxAttempts) {
        em.createNativeQuery("UPDATE " + table.table() + " SET deletion_attempts = deletion_attempts + 1,"
                        + " status = CASE WHEN deletion_attempts + 1 >= ?2 THEN 3 ELSE status END, updated_at = now()"
                        + " WHERE id = ?1 AND status = 1")
                .setParameter(1, id).setParameter(2, maxAttempts).executeUpdate();
    }

    /**
     * Marks up to {@code limit} servable records not read within their group's enabled TTL policy. A ttl beyond
     * {@link ImageTtlPolicy#MAX_TTL_DAYS} (written before the API bounded it) counts as the maximum, so one policy
     * can never push the cut-off out of the timestamp range and fail the query for every group.
     */
    public int markExpired(CacheTable table, int limit) {
        return em.createNativeQuery("UPDATE " + table.table() + " SET status = 1, updated_at = now() WHERE id IN ("
                        + " SELECT r.id FROM " + table.table() + " r"
                        + " JOIN dependency_proxy_image_ttl_group_policies p ON p.group_id = r.group_id"
                        + " WHERE p.enabled AND p.ttl IS NOT NULL AND r.status = 0"
                        + " AND r.read_at < now() - make_interval(days => LEAST(p.ttl, "
                        + ImageTtlPolicy.MAX_TTL_DAYS + "))"
                        + " LIMIT ?1 FOR UPDATE OF r SKIP LOCKED)")
                .setParameter(1, limit).executeUpdate();
    }

    /** Marks up to {@code limit} servable records whose group no longer exists (a finalize racing a deletion). */
    public int markOrphaned(CacheTable table, int limit) {
        return em.createNativeQuery("UPDATE " + table.table() + " SET status = 1, updated_at = now() WHERE id IN ("
                        + " SELECT r.id FROM " + table.table() + " r WHERE r.status = 0"
                        + " AND NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.id = r.group_id)"
                        + " LIMIT ?1 FOR UPDATE OF r SKIP LOCKED)")
                .setParameter(1, limit).executeUpdate();
    }

    /** Purge: every record of the group (not of its subgroups) becomes pending_destruction, failed ones again. */
    public int markGroup(CacheTable table, long groupId) {
        return em.createNativeQuery("UPDATE " + table.table() + " SET status = 1, deletion_attempts = 0,"
                        + " updated_at = now() WHERE group_id = ?1 AND status <> 1")
                .setParameter(1, groupId).executeUpdate();
    }

    /** Group deletion: every record of the group and of all its subgroups becomes pending_destruction. */
    public int markSubtree(CacheTable table, long rootGroupId) {
        return em.createNativeQuery(SUBTREE + "UPDATE " + table.table() + " SET status = 1, deletion_attempts = 0,"
                        + " updated_at = now() WHERE group_id IN (SELECT id FROM subtree) AND status <> 1")
                .setParameter(1, rootGroupId).executeUpdate();
    }
}

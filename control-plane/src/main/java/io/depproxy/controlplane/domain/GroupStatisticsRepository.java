package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/** {@code dependency_proxy_group_statistics}: per-group counters, only ever added to. */
@ApplicationScoped
public class GroupStatisticsRepository {
    @Inject
    EntityManager em;

    public record Counters(long hits, long misses, long bytesServedFromCache, long bytesFetchedUpstream) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0);
    }

    /** Servable records and their bytes. */
    public record Stored(long manifests, long blobs, long totalBytes) {
    }

    /**
     * Adds to the group's counters in one statement. The commit does not wait for the WAL flush (counters may lose
     * the last moments before a crash; pulls do not wait for them). A group deleted meanwhile is skipped: its counters
     * went with it, and one gone group must not keep a whole batch of other groups from being written.
     */
    public void add(long groupId, Counters delta) {
        em.createNativeQuery("SELECT set_config('synchronous_commit', 'off', true)").getSingleResult();
        em.createNativeQuery("""
                INSERT INTO dependency_proxy_group_statistics
                    (group_id, cache_hits, cache_misses, bytes_served_from_cache, bytes_fetched_upstream, updated_at)
                SELECT ?1, ?2, ?3, ?4, ?5, now() WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = ?1)
                ON CONFLICT (group_id) DO UPDATE SET
                    cache_hits = dependency_proxy_group_statistics.cache_hits + EXCLUDED.cache_hits,
                    cache_misses = dependency_proxy_group_statistics.cache_misses + EXCLUDED.cache_misses,
                    bytes_served_from_cache = dependency_proxy_group_statistics.bytes_served_from_cache
                        + EXCLUDED.bytes_served_from_cache,
                    bytes_fetched_upstream = dependency_proxy_group_statistics.bytes_fetched_upstream
                        + EXCLUDED.bytes_fetched_upstream,
                    updated_at = now()""")
                .setParameter(1, groupId).setParameter(2, delta.hits()).setParameter(3, delta.misses())
                .setParameter(4, delta.bytesServedFromCache()).setParameter(5, delta.bytesFetchedUpstream())
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public Counters counters(long groupId) {
        List<Object[]> rows = em.createNativeQuery("SELECT cache_hits, cache_misses, bytes_served_from_cache,"
                        + " bytes_fetched_upstream FROM dependency_proxy_group_statistics WHERE group_id = ?1")
                .setParameter(1, groupId).getResultList();
        if (rows.isEmpty()) {
            return Counters.ZERO;
        }
        Object[] row = rows.get(0);
        return new Counters(number(row[0]), number(row[1]), number(row[2]), number(row[3]));
    }

    public Stored stored(long groupId) {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT (SELECT count(*) FROM dependency_proxy_manifests WHERE group_id = ?1 AND status = 0),
                       (SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1 AND status = 0),
                       (SELECT coalesce(sum(size), 0) FROM dependency_proxy_manifests WHERE group_id = ?1 AND status = 0)
                     + (SELECT coalesce(sum(size), 0) FROM dependency_proxy_blobs WHERE group_id = ?1 AND status = 0)""")
                .setParameter(1, groupId).getSingleResult();
        return new Stored(number(row[0]), number(row[1]), number(row[2]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}

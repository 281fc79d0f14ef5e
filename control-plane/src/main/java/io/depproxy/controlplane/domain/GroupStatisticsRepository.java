package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;

/** {@code dependency_proxy_group_statistics} (and its per-day copy): per-group counters, only ever added to. */
@ApplicationScoped
public class GroupStatisticsRepository {
    @Inject
    EntityManager em;

    public record Counters(long hits, long misses, long bytesServedFromCache, long bytesFetchedUpstream) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0);
    }

    /** The counters of one UTC day. */
    public record Day(LocalDate day, Counters counters) {
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
        em.createNativeQuery("""
                INSERT INTO dependency_proxy_group_statistics_daily
                    (group_id, day, cache_hits, cache_misses, bytes_served_from_cache, bytes_fetched_upstream)
                SELECT ?1, (now() AT TIME ZONE 'UTC')::date, ?2, ?3, ?4, ?5
                WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = ?1)
                ON CONFLICT (group_id, day) DO UPDATE SET
                    cache_hits = dependency_proxy_group_statistics_daily.cache_hits + EXCLUDED.cache_hits,
                    cache_misses = dependency_proxy_group_statistics_daily.cache_misses + EXCLUDED.cache_misses,
                    bytes_served_from_cache = dependency_proxy_group_statistics_daily.bytes_served_from_cache
                        + EXCLUDED.bytes_served_from_cache,
                    bytes_fetched_upstream = dependency_proxy_group_statistics_daily.bytes_fetched_upstream
                        + EXCLUDED.bytes_fetched_upstream""")
                .setParameter(1, groupId).setParameter(2, delta.hits()).setParameter(3, delta.misses())
                .setParameter(4, delta.bytesServedFromCache()).setParameter(5, delta.bytesFetchedUpstream())
                .executeUpdate();
    }

    /** The days with any counted pull among the last {@code days} UTC days (today included), oldest first. */
    @SuppressWarnings("unchecked")
    public List<Day> recentDays(long groupId, int days) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT day, cache_hits, cache_misses, bytes_served_from_cache, bytes_fetched_upstream
                        FROM dependency_proxy_group_statistics_daily
                        WHERE group_id = ?1 AND day > (now() AT TIME ZONE 'UTC')::date - ?2 ORDER BY day""")
                .setParameter(1, groupId).setParameter(2, days).getResultList();
        return rows.stream().map(row -> new Day(date(row[0]),
                new Counters(number(row[1]), number(row[2]), number(row[3]), number(row[4])))).toList();
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

    private static LocalDate date(Object value) {
        return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}

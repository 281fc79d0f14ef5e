package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * {@code dependency_proxy_referrers}: the last good referrers index of each subject a group asked about, one row per
 * upstream that answered, shared by every replica. Every method needs the caller's (short) transaction.
 */
@ApplicationScoped
public class ReferrersIndexRepository {
    @Inject
    EntityManager em;

    /**
     * Stores {@code indexJson} as the upstream's answer; an existing row is rewritten only when the index differs or
     * the row is older than {@code refreshAfterSeconds}. Returns whether a row was written.
     */
    public boolean store(long groupId, long upstreamId, String image, String subjectDigest, String indexJson,
                         long refreshAfterSeconds) {
        return em.createNativeQuery("""
                        INSERT INTO dependency_proxy_referrers
                            (group_id, upstream_id, image_name, subject_digest, index_json, fetched_at)
                        SELECT ?1, ?2, ?3, ?4, ?5, now() WHERE EXISTS (SELECT 1 FROM namespaces WHERE id = ?1)
                        ON CONFLICT (group_id, image_name, subject_digest, upstream_id) DO UPDATE
                            SET index_json = EXCLUDED.index_json, fetched_at = EXCLUDED.fetched_at
                            WHERE dependency_proxy_referrers.index_json <> EXCLUDED.index_json
                               OR dependency_proxy_referrers.fetched_at < now() - make_interval(secs => ?6)
                        """)
                .setParameter(1, groupId).setParameter(2, upstreamId).setParameter(3, image)
                .setParameter(4, subjectDigest).setParameter(5, indexJson).setParameter(6, (double) refreshAfterSeconds)
                .executeUpdate() > 0;
    }

    /** The JSON of the newest stored index of the subject in the group's repository, whichever upstream answered. */
    @SuppressWarnings("unchecked")
    public Optional<String> newest(long groupId, String image, String subjectDigest) {
        List<String> rows = em.createNativeQuery("""
                        SELECT index_json FROM dependency_proxy_referrers
                        WHERE group_id = ?1 AND image_name = ?2 AND subject_digest = ?3
                        ORDER BY fetched_at DESC LIMIT 1
                        """)
                .setParameter(1, groupId).setParameter(2, image).setParameter(3, subjectDigest).getResultList();
        return rows.stream().findFirst();
    }

    /** The purge: every stored index of the group (not of its subgroups). */
    public int deleteGroup(long groupId) {
        return em.createNativeQuery("DELETE FROM dependency_proxy_referrers WHERE group_id = ?1")
                .setParameter(1, groupId).executeUpdate();
    }

    /**
     * The TTL policy: up to {@code limit} indexes of groups whose policy is enabled, not fetched for its ttl (days, at
     * most {@code maxTtlDays}), whose subject has no servable manifest record in the group any more.
     */
    public int deleteExpired(int limit, int maxTtlDays) {
        return em.createNativeQuery("""
                        DELETE FROM dependency_proxy_referrers WHERE (group_id, image_name, subject_digest, upstream_id)
                        IN (SELECT r.group_id, r.image_name, r.subject_digest, r.upstream_id
                            FROM dependency_proxy_referrers r
                            JOIN dependency_proxy_image_ttl_group_policies p ON p.group_id = r.group_id
                            WHERE p.enabled AND p.ttl IS NOT NULL
                              AND r.fetched_at < now() - make_interval(days => LEAST(p.ttl, ?2))
                              AND NOT EXISTS (SELECT 1 FROM dependency_proxy_manifests m WHERE m.group_id = r.group_id
                                              AND m.digest = r.subject_digest AND m.status = 0)
                            LIMIT ?1 FOR UPDATE OF r SKIP LOCKED)
                        """)
                .setParameter(1, limit).setParameter(2, maxTtlDays).executeUpdate();
    }
}

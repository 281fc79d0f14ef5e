package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code dependency_proxy_signature_checks}: an image digest's signature check, per group, repository and key set,
 * until it expires. Written in a transaction of its own: a check made while a pull is refused must still be kept.
 */
@ApplicationScoped
public class SignatureCheckRepository {
    @Inject
    EntityManager em;

    /** A remembered check: its outcome ({@code verified}, {@code unsigned}, {@code invalid}), why, and until when. */
    public record Stored(String outcome, String reason, Instant expiresAt) {
    }

    @SuppressWarnings("unchecked")
    public Optional<Stored> find(long groupId, String image, String digest, String keySetId) {
        List<Object[]> rows = em.createNativeQuery("SELECT outcome, reason, expires_at"
                        + " FROM dependency_proxy_signature_checks WHERE group_id = ?1 AND image = ?2 AND digest = ?3"
                        + " AND key_set_id = ?4 AND expires_at > now()")
                .setParameter(1, groupId).setParameter(2, image).setParameter(3, digest).setParameter(4, keySetId)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Stored((String) row[0], (String) row[1], instant(row[2])));
    }

    /** Stores the check, replacing an earlier one of the same key. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void save(long groupId, String image, String digest, String keySetId, String outcome, String reason,
                     Instant expiresAt) {
        em.createNativeQuery("INSERT INTO dependency_proxy_signature_checks (group_id, image, digest, key_set_id,"
                        + " outcome, reason, checked_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, now(), ?7)"
                        + " ON CONFLICT (group_id, image, digest, key_set_id) DO UPDATE SET outcome = EXCLUDED.outcome,"
                        + " reason = EXCLUDED.reason, checked_at = EXCLUDED.checked_at,"
                        + " expires_at = EXCLUDED.expires_at")
                .setParameter(1, groupId).setParameter(2, image).setParameter(3, digest).setParameter(4, keySetId)
                .setParameter(5, outcome).setParameter(6, reason).setParameter(7, Timestamp.from(expiresAt))
                .executeUpdate();
    }

    /** Removes the checks that expired; how many. */
    @Transactional
    public int deleteExpired() {
        return em.createNativeQuery("DELETE FROM dependency_proxy_signature_checks WHERE expires_at <= now()")
                .executeUpdate();
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) value;
    }
}

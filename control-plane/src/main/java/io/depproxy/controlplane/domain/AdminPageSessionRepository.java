package io.depproxy.controlplane.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code admin_page_sessions}: the admin page's sign-ins, found by the sha256 of the cookie's session id. */
@ApplicationScoped
public class AdminPageSessionRepository {
    @Inject
    EntityManager em;

    /** A session that has not expired: the token it acts as and its CSRF token. */
    public record Stored(long personalAccessTokenId, String csrfToken) {
    }

    public void insert(String sessionDigest, long personalAccessTokenId, String csrfToken, Instant expiresAt) {
        em.createNativeQuery("INSERT INTO admin_page_sessions (session_digest, personal_access_token_id, csrf_token,"
                        + " expires_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, sessionDigest).setParameter(2, personalAccessTokenId).setParameter(3, csrfToken)
                .setParameter(4, Timestamp.from(expiresAt)).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public Optional<Stored> findActive(String sessionDigest) {
        List<Object[]> rows = em.createNativeQuery("SELECT personal_access_token_id, csrf_token FROM admin_page_sessions"
                        + " WHERE session_digest = ?1 AND expires_at > now()")
                .setParameter(1, sessionDigest).getResultList();
        return rows.stream().findFirst().map(row -> new Stored(((Number) row[0]).longValue(), (String) row[1]));
    }

    public void delete(String sessionDigest) {
        em.createNativeQuery("DELETE FROM admin_page_sessions WHERE session_digest = ?1")
                .setParameter(1, sessionDigest).executeUpdate();
    }

    public int deleteExpired() {
        return em.createNativeQuery("DELETE FROM admin_page_sessions WHERE expires_at <= now()").executeUpdate();
    }
}

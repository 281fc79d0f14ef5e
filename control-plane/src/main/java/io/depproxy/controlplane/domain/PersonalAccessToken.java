package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.hibernate.annotations.CreationTimestamp;

/** A user's personal access token; only the sha256 hex of the raw token is stored. */
@Entity
@Table(name = "personal_access_tokens")
public class PersonalAccessToken {
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "user_id", nullable = false, updatable = false)
    private Long userId;
    @Column(nullable = false)
    private String name;
    @Column(name = "token_digest", nullable = false)
    private String tokenDigest;
    @Column(nullable = false)
    private String scopes;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(nullable = false)
    private boolean revoked;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    public static PersonalAccessToken create(long userId, String name, String tokenDigest, Set<String> scopes,
                                             Instant expiresAt) {
        PersonalAccessToken token = new PersonalAccessToken();
        token.userId = userId;
        token.name = name;
        token.tokenDigest = tokenDigest;
        token.scopes = TokenScopes.format(scopes);
        token.expiresAt = expiresAt;
        return token;
    }

    public boolean isActiveAt(Instant now) {
        return !revoked && (expiresAt == null || expiresAt.isAfter(now));
    }

    public Long getId() {
        return id;
    }

    public Long getUserId() {
        return userId;
    }

    public String getName() {
        return name;
    }

    public String getTokenDigest() {
        return tokenDigest;
    }

    public void setTokenDigest(String tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    public Set<String> getScopes() {
        return TokenScopes.parse(scopes);
    }

    public void setScopes(Set<String> scopes) {
        this.scopes = TokenScopes.format(scopes);
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    public boolean isRevoked() {
        return revoked;
    }

    public void setRevoked(boolean revoked) {
        this.revoked = revoked;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public void setLastUsedAt(Instant lastUsedAt) {
        this.lastUsedAt = lastUsedAt;
    }

    /** Records a use, at most once a minute (as GitLab, which writes it at most every 10 minutes): no write per login. */
    public void markUsed(Instant now) {
        if (lastUsedAt == null || lastUsedAt.plus(LAST_USED_GRANULARITY).isBefore(now)) {
            lastUsedAt = now;
        }
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}

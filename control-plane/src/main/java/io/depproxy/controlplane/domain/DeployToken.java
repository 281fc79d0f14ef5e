package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;
import org.hibernate.annotations.CreationTimestamp;

/** A group deploy token ({@code group_deploy_tokens}); valid for the group and its subgroups. */
@Entity
@Table(name = "group_deploy_tokens")
public class DeployToken {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false, updatable = false)
    private Long groupId;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private String username;
    @Column(name = "token_digest", nullable = false)
    private String tokenDigest;
    @Column(nullable = false)
    private String scopes;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(nullable = false)
    private boolean revoked;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    public static DeployToken create(long groupId, String name, String username, String tokenDigest,
                                     Set<String> scopes, Instant expiresAt) {
        DeployToken token = new DeployToken();
        token.groupId = groupId;
        token.name = name;
        token.username = username;
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

    public Long getGroupId() {
        return groupId;
    }

    public String getName() {
        return name;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getTokenDigest() {
        return tokenDigest;
    }

    public Set<String> getScopes() {
        return TokenScopes.parse(scopes);
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public boolean isRevoked() {
        return revoked;
    }

    public void setRevoked(boolean revoked) {
        this.revoked = revoked;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}

package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** Per-group cache expiry policy ({@code dependency_proxy_image_ttl_group_policies}); enforced by the TTL job. */
@Entity
@Table(name = "dependency_proxy_image_ttl_group_policies")
public class ImageTtlPolicy {
    public static final int DEFAULT_TTL_DAYS = 90;
    /** Ten years; the API refuses more, and the TTL job reads a larger stored value as this. */
    public static final int MAX_TTL_DAYS = 3650;

    @Id
    @Column(name = "group_id")
    private Long groupId;
    @Column(nullable = false)
    private boolean enabled;
    private Integer ttl = DEFAULT_TTL_DAYS;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public static ImageTtlPolicy defaultsFor(long groupId) {
        ImageTtlPolicy policy = new ImageTtlPolicy();
        policy.groupId = groupId;
        return policy;
    }

    public Long getGroupId() {
        return groupId;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getTtl() {
        return ttl;
    }

    public void setTtl(Integer ttl) {
        this.ttl = ttl;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}

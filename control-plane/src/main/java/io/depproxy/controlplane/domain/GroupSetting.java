package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** Per-group dependency proxy settings ({@code dependency_proxy_group_settings}). */
@Entity
@Table(name = "dependency_proxy_group_settings")
public class GroupSetting {
    /**
     * The longest {@code manifest_revalidate_after} of a group or an upstream, a year: a longer window would never
     * revalidate a moved tag in practice.
     */
    public static final int MAX_REVALIDATE_AFTER_SECONDS = 365 * 24 * 3600;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false, updatable = false)
    private Long groupId;
    @Column(nullable = false)
    private boolean enabled = true;
    /** Seconds a validated tag stays fresh without asking the upstream again; 0 = always ask. */
    @Column(name = "manifest_revalidate_after", nullable = false)
    private int manifestRevalidateAfter;
    private String identity;
    /** Whether an upstream error lets the next upstream of the group's list answer (a 404 always does). */
    @Column(name = "upstream_fallback_on_error", nullable = false)
    private boolean upstreamFallbackOnError;
    /** Whether an upstream's 401/403 lets the next upstream of the list answer (risk: dependency confusion). */
    @Column(name = "upstream_fallback_on_auth_error", nullable = false)
    private boolean upstreamFallbackOnAuthError;
    /** Whether pulls without a login are served (a deliberate choice for mirrors only nodes can reach). */
    @Column(name = "anonymous_pull", nullable = false)
    private boolean anonymousPull;
    @Column(name = "encrypted_secret")
    private String encryptedSecret;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public static GroupSetting enabledFor(long groupId) {
        GroupSetting setting = new GroupSetting();
        setting.groupId = groupId;
        setting.enabled = true;
        return setting;
    }

    public Long getId() {
        return id;
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

    public int getManifestRevalidateAfter() {
        return manifestRevalidateAfter;
    }

    public void setManifestRevalidateAfter(int seconds) {
        this.manifestRevalidateAfter = seconds;
    }

    public boolean isAnonymousPull() {
        return anonymousPull;
    }

    public void setAnonymousPull(boolean anonymousPull) {
        this.anonymousPull = anonymousPull;
    }

    public String getIdentity() {
        return identity;
    }

    public void setIdentity(String identity) {
        this.identity = identity;
    }

    public String getEncryptedSecret() {
        return encryptedSecret;
    }

    public void setEncryptedSecret(String encryptedSecret) {
        this.encryptedSecret = encryptedSecret;
    }

    public boolean isUpstreamFallbackOnError() {
        return upstreamFallbackOnError;
    }

    public void setUpstreamFallbackOnError(boolean fallback) {
        this.upstreamFallbackOnError = fallback;
    }

    public boolean isUpstreamFallbackOnAuthError() {
        return upstreamFallbackOnAuthError;
    }

    public void setUpstreamFallbackOnAuthError(boolean fallback) {
        this.upstreamFallbackOnAuthError = fallback;
    }
}

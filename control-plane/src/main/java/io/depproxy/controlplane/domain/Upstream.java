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

/**
 * An upstream registry of the instance ({@code dependency_proxy_upstreams}). The secret is stored sealed (write-only);
 * the default upstream mirrors {@code DP_UPSTREAM_URL} and its credentials.
 */
@Entity
@Table(name = "dependency_proxy_upstreams")
public class Upstream {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private String url;
    private String username;
    @Column(name = "encrypted_secret")
    private String encryptedSecret;
    @Column(name = "single_name_prefix", nullable = false)
    private String singleNamePrefix = "";
    /** Seconds; a floor under the group's revalidation window for tags of this upstream; null = none. */
    @Column(name = "manifest_revalidate_after")
    private Integer manifestRevalidateAfter;
    @Column(name = "is_default", nullable = false)
    private boolean defaultUpstream;
    /** Every group may pull from it by name with its credentials; otherwise only groups whose list names it. */
    @Column(name = "open_to_all_groups", nullable = false)
    private boolean openToAllGroups;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getEncryptedSecret() {
        return encryptedSecret;
    }

    public void setEncryptedSecret(String encryptedSecret) {
        this.encryptedSecret = encryptedSecret;
    }

    public String getSingleNamePrefix() {
        return singleNamePrefix;
    }

    public void setSingleNamePrefix(String singleNamePrefix) {
        this.singleNamePrefix = singleNamePrefix;
    }

    public Integer getManifestRevalidateAfter() {
        return manifestRevalidateAfter;
    }

    public void setManifestRevalidateAfter(Integer seconds) {
        this.manifestRevalidateAfter = seconds;
    }

    public boolean isDefaultUpstream() {
        return defaultUpstream;
    }

    public void setDefaultUpstream(boolean defaultUpstream) {
        this.defaultUpstream = defaultUpstream;
    }

    public boolean isOpenToAllGroups() {
        return openToAllGroups;
    }

    public void setOpenToAllGroups(boolean openToAllGroups) {
        this.openToAllGroups = openToAllGroups;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}

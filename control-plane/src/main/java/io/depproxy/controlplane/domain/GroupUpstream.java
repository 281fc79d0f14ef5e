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

/** One entry of a group's ordered upstream list, with the group's own credentials for it (write-only secret). */
@Entity
@Table(name = "dependency_proxy_group_upstreams")
public class GroupUpstream {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false, updatable = false)
    private Long groupId;
    @Column(name = "upstream_id", nullable = false, updatable = false)
    private Long upstreamId;
    @Column(nullable = false)
    private int position;
    private String identity;
    @Column(name = "encrypted_secret")
    private String encryptedSecret;
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public static GroupUpstream of(long groupId, long upstreamId, int position) {
        GroupUpstream entry = new GroupUpstream();
        entry.groupId = groupId;
        entry.upstreamId = upstreamId;
        entry.position = position;
        return entry;
    }

    public Long getId() {
        return id;
    }

    public Long getGroupId() {
        return groupId;
    }

    public Long getUpstreamId() {
        return upstreamId;
    }

    public int getPosition() {
        return position;
    }

    public void setPosition(int position) {
        this.position = position;
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
}

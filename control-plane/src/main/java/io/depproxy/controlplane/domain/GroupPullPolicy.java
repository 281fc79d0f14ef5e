package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/**
 * A group's own pull policy ({@code dependency_proxy_group_policies}): its rules and signature keys as the JSON the
 * policy package reads ({@code policy/PolicyCodec}), and the signature mode. No row: the group inherits.
 */
@Entity
@Table(name = "dependency_proxy_group_policies")
public class GroupPullPolicy {
    @Id
    @Column(name = "group_id")
    private Long groupId;
    @Column(nullable = false)
    private String rules = "[]";
    @Column(name = "signature_mode", nullable = false)
    private String signatureMode = "off";
    @Column(name = "signature_keys", nullable = false)
    private String signatureKeys = "[]";
    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public static GroupPullPolicy of(long groupId) {
        GroupPullPolicy policy = new GroupPullPolicy();
        policy.groupId = groupId;
        return policy;
    }

    public Long getGroupId() {
        return groupId;
    }

    public String getRules() {
        return rules;
    }

    public void setRules(String rules) {
        this.rules = rules;
    }

    public String getSignatureMode() {
        return signatureMode;
    }

    public void setSignatureMode(String signatureMode) {
        this.signatureMode = signatureMode;
    }

    public String getSignatureKeys() {
        return signatureKeys;
    }

    public void setSignatureKeys(String signatureKeys) {
        this.signatureKeys = signatureKeys;
    }
}

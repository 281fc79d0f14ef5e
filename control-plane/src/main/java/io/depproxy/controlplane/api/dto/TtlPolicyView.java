package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.ImageTtlPolicy;

/** A group's cache expiry policy: records not read for {@code ttl} days are removed while it is enabled. */
public record TtlPolicyView(
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("ttl") Integer ttl,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static TtlPolicyView of(ImageTtlPolicy policy) {
        return new TtlPolicyView(policy.isEnabled(), policy.getTtl(), Times.iso(policy.getCreatedAt()),
                Times.iso(policy.getUpdatedAt()));
    }
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT …/dependency_proxy/ttl_policy}: {@code ttl} in days (at least 1). */
public record UpdateTtlPolicyRequest(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("ttl") Integer ttl) {
}

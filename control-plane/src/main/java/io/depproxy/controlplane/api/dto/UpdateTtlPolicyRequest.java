package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code PUT …/dependency_proxy/ttl_policy}: {@code ttl} in days (at least 1). */
public record UpdateTtlPolicyRequest(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("ttl")
        @Min(value = 1, message = UpdateTtlPolicyRequest.TTL_BOUNDS)
        @Max(value = ImageTtlPolicy.MAX_TTL_DAYS, message = UpdateTtlPolicyRequest.TTL_BOUNDS) Integer ttl)
        implements FormOrJsonRequest {
    static final String TTL_BOUNDS = "must be between 1 and " + ImageTtlPolicy.MAX_TTL_DAYS;
}

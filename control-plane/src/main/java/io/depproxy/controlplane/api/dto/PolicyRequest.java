package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code PUT /api/v4/groups/:id/dependency_proxy/policy}: the group's own pull policy, replacing the one it had.
 * {@code rules} in order (the first matching rule decides; absent or empty: no rules); {@code signatures} absent:
 * no signature check.
 */
public record PolicyRequest(
        @JsonProperty("rules") @Size(max = PolicyRequest.MAX_RULES) @Valid
        @Schema(description = "ordered rules; the first that matches a pull decides") List<PolicyRuleRequest> rules,
        @JsonProperty("signatures") @Valid SignaturesRequest signatures) {
    /** Most rules one group's policy holds. */
    public static final int MAX_RULES = 200;
}

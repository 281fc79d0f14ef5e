package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One rule of a pull policy: glob patterns ({@code *} any run of characters, slashes included; {@code ?} one
 * character) on the upstream's name, the image as that upstream names it ({@code library/nginx}) and, optionally,
 * the tag pulled.
 */
public record PolicyRuleRequest(
        @JsonProperty("action") @Size(max = 16)
        @Schema(enumeration = {"allow", "deny"}, required = true) String action,
        @JsonProperty("upstream") @Size(max = PolicyRuleRequest.MAX_PATTERN)
        @Schema(description = "pattern on the upstream's name; absent: \"*\"", example = "*") String upstream,
        @JsonProperty("image") @Size(max = PolicyRuleRequest.MAX_PATTERN)
        @Schema(description = "pattern on the image as the upstream names it", example = "library/*",
                required = true) String image,
        @JsonProperty("tag") @Size(max = PolicyRuleRequest.MAX_PATTERN)
        @Schema(description = "pattern on the tag; when set the rule matches only pulls of a matching tag",
                example = "latest") String tag) {
    /** Longest pattern. */
    public static final int MAX_PATTERN = 255;
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A new deploy token ({@code scopes}: {@code read_registry}) or personal access token ({@code read_registry},
 * {@code api}, {@code admin}); {@code expires_at} is a date or an ISO-8601 date-time.
 */
public record CreateTokenRequest(
        @JsonProperty("name") String name,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("expires_at") String expiresAt) {
}

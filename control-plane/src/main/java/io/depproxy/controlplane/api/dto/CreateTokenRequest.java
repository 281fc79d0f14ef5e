package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A new deploy token ({@code scopes}: {@code read_registry}) or personal access token ({@code read_registry},
 * {@code api}, {@code admin}); {@code expires_at} is a date or an ISO-8601 date-time, in years 1970..9999.
 */
public record CreateTokenRequest(
        @JsonProperty("name") String name,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("expires_at") @Schema(type = SchemaType.STRING, example = "2030-01-31",
                description = "a date (the start of that day in UTC) or an ISO-8601 date-time with an offset")
        Instant expiresAt) implements FormOrJsonRequest {
}

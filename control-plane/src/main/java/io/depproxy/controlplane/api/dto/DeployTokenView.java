package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.DeployToken;
import java.time.Instant;
import java.util.List;

/** A group deploy token; {@code token} only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployTokenView(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("username") String username,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("revoked") boolean revoked,
        @JsonProperty("expired") boolean expired,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("token") String token) {

    public static DeployTokenView of(DeployToken token, String rawToken) {
        boolean expired = token.getExpiresAt() != null && !token.getExpiresAt().isAfter(Instant.now());
        return new DeployTokenView(token.getId(), token.getName(), token.getUsername(),
                Times.iso(token.getExpiresAt()), List.copyOf(token.getScopes()), token.isRevoked(), expired,
                Times.iso(token.getCreatedAt()), rawToken);
    }
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.PersonalAccessToken;
import java.time.Instant;
import java.util.List;

/** A personal access token; {@code token} only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonalAccessTokenView(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("user_id") long userId,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("revoked") boolean revoked,
        @JsonProperty("active") boolean active,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("token") String token) {

    public static PersonalAccessTokenView of(PersonalAccessToken token, String rawToken) {
        return new PersonalAccessTokenView(token.getId(), token.getName(), token.getUserId(),
                List.copyOf(token.getScopes()), token.isRevoked(), token.isActiveAt(Instant.now()),
                Times.iso(token.getExpiresAt()), Times.iso(token.getCreatedAt()), rawToken);
    }
}

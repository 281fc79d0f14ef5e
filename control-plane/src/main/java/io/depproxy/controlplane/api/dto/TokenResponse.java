package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code /jwt/auth}: Docker's {@code token} and OAuth2's {@code access_token}, same value. */
public record TokenResponse(
        @JsonProperty("token") String token,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("issued_at") String issuedAt) {
}

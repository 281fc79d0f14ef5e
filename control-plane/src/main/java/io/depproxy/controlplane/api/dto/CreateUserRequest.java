package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v4/users} (administrators). */
public record CreateUserRequest(
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("email") String email,
        @JsonProperty("admin") Boolean admin) implements FormOrJsonRequest {
}

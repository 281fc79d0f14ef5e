package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.User;

/** A user as GitLab's users API shows it to an administrator (and {@code GET /user} to the user). */
public record UserView(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("email") String email,
        @JsonProperty("is_admin") boolean admin,
        @JsonProperty("created_at") String createdAt) {

    public static UserView of(User user) {
        return new UserView(user.getId(), user.getUsername(), user.getName(), user.getState(), user.getEmail(),
                user.isAdmin(), Times.iso(user.getCreatedAt()));
    }
}

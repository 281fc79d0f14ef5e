package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v4/groups/:id/members}: {@code access_level} 10, 20, 30, 40 or 50 (both required). */
public record AddMemberRequest(
        @JsonProperty("user_id") Long userId,
        @JsonProperty("access_level") Integer accessLevel) implements FormOrJsonRequest {
}

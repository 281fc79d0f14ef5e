package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v4/groups/:id}: a new name and/or path (subgroups move along). */
public record UpdateGroupRequest(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path) implements FormOrJsonRequest {
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v4/groups} (JSON or form): {@code parent_id} makes a subgroup. */
public record CreateGroupRequest(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("parent_id") Long parentId) implements FormOrJsonRequest {
}

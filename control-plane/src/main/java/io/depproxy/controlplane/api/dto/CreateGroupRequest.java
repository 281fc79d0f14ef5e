package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v4/groups} body (JSON; the form variant has the same fields). */
public record CreateGroupRequest(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("parent_id") Long parentId) {
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST}/{@code PUT /api/v4/dependency_proxy/upstreams[/:id]}: {@code name} and {@code url} are required on
 * creation; {@code username} and {@code secret} (write-only) together, both empty to clear them;
 * {@code manifest_revalidate_after} in seconds (0 = none); {@code open_to_all_groups}: every group may pull from it by
 * name with its credentials (default: true without credentials, false with them; see {@code UpstreamService}).
 */
public record UpstreamRequest(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("username") String username,
        @JsonProperty("secret") String secret,
        @JsonProperty("single_name_prefix") String singleNamePrefix,
        @JsonProperty("manifest_revalidate_after") Integer manifestRevalidateAfter,
        @JsonProperty("open_to_all_groups") Boolean openToAllGroups) {
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.upstream.UpstreamService.UpstreamChange;
import io.depproxy.controlplane.domain.GroupSetting;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

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
        @JsonProperty("manifest_revalidate_after")
        @Min(value = 0, message = UpdateSettingsRequest.REVALIDATE_BOUNDS)
        @Max(value = GroupSetting.MAX_REVALIDATE_AFTER_SECONDS, message = UpdateSettingsRequest.REVALIDATE_BOUNDS)
        Integer manifestRevalidateAfter,
        @JsonProperty("open_to_all_groups") Boolean openToAllGroups) implements FormOrJsonRequest {

    /** The creation or change the request asks for (absent values: the service's defaults, or unchanged). */
    public UpstreamChange change() {
        return new UpstreamChange(name, url, username, secret, singleNamePrefix, manifestRevalidateAfter,
                openToAllGroups);
    }
}

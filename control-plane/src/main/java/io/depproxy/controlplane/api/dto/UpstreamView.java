package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.Upstream;

/**
 * An upstream of the instance. The secret is write-only: only whether one is set is shown. {@code open_to_all_groups}:
 * every group may pull from it by name; otherwise only the groups whose upstream list names it.
 */
public record UpstreamView(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("username") String username,
        @JsonProperty("secret_set") boolean secretSet,
        @JsonProperty("single_name_prefix") String singleNamePrefix,
        @JsonProperty("manifest_revalidate_after") Integer manifestRevalidateAfter,
        @JsonProperty("default") boolean isDefault,
        @JsonProperty("open_to_all_groups") boolean openToAllGroups,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static UpstreamView of(Upstream upstream) {
        return new UpstreamView(upstream.getId(), upstream.getName(), upstream.getUrl(), upstream.getUsername(),
                upstream.getEncryptedSecret() != null, upstream.getSingleNamePrefix(),
                upstream.getManifestRevalidateAfter(), upstream.isDefaultUpstream(), upstream.isOpenToAllGroups(),
                Times.iso(upstream.getCreatedAt()), Times.iso(upstream.getUpdatedAt()));
    }
}

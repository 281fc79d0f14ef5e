package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.Upstream;

/** An upstream of the instance. The secret is write-only: only whether one is set is shown. */
public record UpstreamView(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("username") String username,
        @JsonProperty("secret_set") boolean secretSet,
        @JsonProperty("single_name_prefix") String singleNamePrefix,
        @JsonProperty("manifest_revalidate_after") Integer manifestRevalidateAfter,
        @JsonProperty("default") boolean isDefault,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static UpstreamView of(Upstream upstream) {
        return new UpstreamView(upstream.getId(), upstream.getName(), upstream.getUrl(), upstream.getUsername(),
                upstream.getEncryptedSecret() != null, upstream.getSingleNamePrefix(),
                upstream.getManifestRevalidateAfter(), upstream.isDefaultUpstream(), Times.iso(upstream.getCreatedAt()),
                Times.iso(upstream.getUpdatedAt()));
    }
}

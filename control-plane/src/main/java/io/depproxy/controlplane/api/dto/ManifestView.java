package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.CachedManifest;

/** A cached manifest record. */
public record ManifestView(
        @JsonProperty("id") long id,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("image_name") String imageName,
        @JsonProperty("digest") String digest,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("size") long size,
        @JsonProperty("status") String status,
        @JsonProperty("read_at") String readAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static ManifestView of(CachedManifest manifest) {
        return new ManifestView(manifest.getId(), manifest.getFileName(), manifest.getImageName(),
                manifest.getDigest(), manifest.getContentType(), manifest.getSize(), manifest.getStatus().label(),
                Times.iso(manifest.getReadAt()), Times.iso(manifest.getCreatedAt()), Times.iso(manifest.getUpdatedAt()));
    }
}

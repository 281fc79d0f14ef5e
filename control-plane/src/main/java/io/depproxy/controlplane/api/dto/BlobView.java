package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.CachedBlob;

/** A cached blob record (blobs are shared by images, so a blob has no image name). */
public record BlobView(
        @JsonProperty("id") long id,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("digest") String digest,
        @JsonProperty("size") long size,
        @JsonProperty("status") String status,
        @JsonProperty("read_at") String readAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static BlobView of(CachedBlob blob) {
        return new BlobView(blob.getId(), blob.getFileName(), blob.getDigest(), blob.getSize(),
                blob.getStatus().label(), Times.iso(blob.getReadAt()), Times.iso(blob.getCreatedAt()),
                Times.iso(blob.getUpdatedAt()));
    }
}

package io.depproxy.contracts.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A temporary object the accelerator may write, with presigned URLs. {@code StoreURL} takes one PUT of a
 * known length; {@code MultipartUpload}, when present, takes a body of unknown length.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ID", "GetURL", "StoreURL", "DeleteURL", "Timeout", "MultipartUpload"})
public record RemoteObject(
        @JsonProperty("ID") String id,
        @JsonProperty("GetURL") String getUrl,
        @JsonProperty("StoreURL") String storeUrl,
        @JsonProperty("DeleteURL") String deleteUrl,
        @JsonProperty("Timeout") long timeoutSeconds,
        @JsonProperty("MultipartUpload") MultipartUpload multipartUpload) {

    public RemoteObject {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("RemoteObject ID is required");
        }
        if (storeUrl == null && multipartUpload == null) {
            throw new IllegalArgumentException("RemoteObject needs a StoreURL or a MultipartUpload");
        }
    }
}

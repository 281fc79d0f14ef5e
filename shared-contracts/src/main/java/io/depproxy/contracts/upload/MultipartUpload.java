package io.depproxy.contracts.upload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Presigned multipart upload: every part but the last is exactly {@code PartSize} bytes. */
@JsonPropertyOrder({"PartSize", "PartURLs", "CompleteURL", "AbortURL"})
public record MultipartUpload(
        @JsonProperty("PartSize") long partSize,
        @JsonProperty("PartURLs") List<String> partUrls,
        @JsonProperty("CompleteURL") String completeUrl,
        @JsonProperty("AbortURL") String abortUrl) {

    public MultipartUpload {
        if (partSize <= 0 || partUrls == null || partUrls.isEmpty()) {
            throw new IllegalArgumentException("MultipartUpload needs a positive PartSize and PartURLs");
        }
        partUrls = List.copyOf(partUrls);
    }

    /** The largest object these parts can hold. */
    public long capacity() {
        return partSize * partUrls.size();
    }
}

package io.depproxy.contracts.upload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.depproxy.contracts.ContractJson;

/** The control plane's answer to {@code …/upload/authorize}, sent as {@code application/vnd.gitlab-workhorse+json}. */
@JsonPropertyOrder({"RemoteObject", "MaximumSize"})
public record AuthorizeResponse(
        @JsonProperty("RemoteObject") RemoteObject remoteObject,
        @JsonProperty("MaximumSize") long maximumSize) {

    public static final long MAX_BLOB_SIZE = 5L * 1024 * 1024 * 1024;
    public static final long MAX_MANIFEST_SIZE = 10L * 1024 * 1024;

    public AuthorizeResponse {
        if (remoteObject == null) {
            throw new IllegalArgumentException("RemoteObject is required");
        }
    }

    public String toJson() {
        return ContractJson.write(this);
    }

    public static AuthorizeResponse fromJson(String json) {
        try {
            return ContractJson.read(json, AuthorizeResponse.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("authorize response is not valid: " + e.getMessage(), e);
        }
    }
}

package io.depproxy.contracts.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the accelerator stored: the signed descriptor the control plane trusts on finalize (the
 * {@code upload} claim of {@code file.gitlab-workhorse-upload}). The unsigned {@code file.*} form fields carry
 * the same values for readability only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "size", "sha256", "remote_id", "remote_url"})
public record UploadedFile(
        @JsonProperty("name") String name,
        @JsonProperty("size") long size,
        @JsonProperty("sha256") String sha256Hex,
        @JsonProperty("remote_id") String remoteId,
        @JsonProperty("remote_url") String remoteUrl) {

    public UploadedFile {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (sha256Hex == null || !sha256Hex.matches("[a-f0-9]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters");
        }
        if (remoteId == null || remoteId.isBlank()) {
            throw new IllegalArgumentException("remote_id is required");
        }
        name = name == null ? "upload" : name;
    }

    public String digest() {
        return "sha256:" + sha256Hex;
    }
}

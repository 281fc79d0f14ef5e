package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PUT …/dependency_proxy/settings}: any subset. {@code identity} and {@code secret} (write-only) are the
 * group's credentials for the upstream's token service; given together, both empty to clear them.
 * {@code anonymous_pull} lets pulls without a login through (off by default).
 */
public record UpdateSettingsRequest(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("manifest_revalidate_after") Integer manifestRevalidateAfter,
        @JsonProperty("identity") String identity,
        @JsonProperty("secret") String secret,
        @JsonProperty("anonymous_pull") Boolean anonymousPull) {
}

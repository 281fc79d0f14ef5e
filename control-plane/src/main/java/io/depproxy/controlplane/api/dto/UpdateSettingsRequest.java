package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.settings.DependencyProxySettingsService.SettingsChange;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code PUT …/dependency_proxy/settings}: any subset. {@code identity} and {@code secret} (write-only) are the
 * group's credentials for the upstream's token service; given together, both empty to clear them.
 * {@code anonymous_pull} lets pulls without a login through (off by default).
 */
public record UpdateSettingsRequest(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("manifest_revalidate_after")
        @Min(value = 0, message = UpdateSettingsRequest.REVALIDATE_BOUNDS)
        @Max(value = GroupSetting.MAX_REVALIDATE_AFTER_SECONDS, message = UpdateSettingsRequest.REVALIDATE_BOUNDS)
        Integer manifestRevalidateAfter,
        @JsonProperty("identity") String identity,
        @JsonProperty("secret") String secret,
        @JsonProperty("anonymous_pull") Boolean anonymousPull) implements FormOrJsonRequest {
    /** The refusal of a {@code manifest_revalidate_after} out of bounds (seconds; 0 = none), here and for upstreams. */
    public static final String REVALIDATE_BOUNDS = "must be between 0 and " + GroupSetting.MAX_REVALIDATE_AFTER_SECONDS;

    /** The settings the request changes (absent values stay as they are). */
    public SettingsChange change() {
        return new SettingsChange(enabled, manifestRevalidateAfter, identity, secret, anonymousPull);
    }
}

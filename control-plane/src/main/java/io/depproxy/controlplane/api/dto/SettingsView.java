package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.GroupSetting;

/** A group's dependency proxy settings. The upstream secret is write-only: only whether one is set is shown. */
public record SettingsView(
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("manifest_revalidate_after") int manifestRevalidateAfter,
        @JsonProperty("identity") String identity,
        @JsonProperty("secret_set") boolean secretSet,
        @JsonProperty("anonymous_pull") boolean anonymousPull) {

    public static SettingsView of(GroupSetting setting) {
        return new SettingsView(setting.isEnabled(), setting.getManifestRevalidateAfter(), setting.getIdentity(),
                setting.getEncryptedSecret() != null, setting.isAnonymousPull());
    }
}

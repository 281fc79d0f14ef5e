package io.depproxy.controlplane.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a group requires signed images: {@code off} (no check), {@code warn} (serve, but log and count an image
 * without a valid signature), {@code enforce} (refuse it with 403 DENIED). Written in lower case in the API.
 */
public enum SignatureMode {
    OFF, WARN, ENFORCE;

    /** The API's spelling. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode an API value names, if any ({@code off}, {@code warn}, {@code enforce}; any case). */
    public static Optional<SignatureMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (SignatureMode mode : values()) {
            if (mode.apiName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}

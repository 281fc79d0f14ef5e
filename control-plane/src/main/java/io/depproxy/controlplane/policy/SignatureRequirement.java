package io.depproxy.controlplane.policy;

import io.depproxy.contracts.Digests;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a group requires of the images it serves: the mode and the keys one of which must have signed an image.
 * {@code keySetId} names the key set (the sha256 of the sorted key fingerprints), so that a verification remembered
 * for one set is never taken for another.
 */
public record SignatureRequirement(SignatureMode mode, List<SigningKey> keys) {
    public static final SignatureRequirement NONE = new SignatureRequirement(SignatureMode.OFF, List.of());

    public SignatureRequirement {
        keys = List.copyOf(keys);
        if (mode != SignatureMode.OFF && keys.isEmpty()) {
            throw new IllegalArgumentException("signatures in mode " + mode.apiName() + " need at least one key");
        }
    }

    public boolean checked() {
        return mode != SignatureMode.OFF;
    }

    public String keySetId() {
        String fingerprints = String.join(",", keys.stream().map(SigningKey::fingerprint).sorted().toList());
        return Digests.sha256(fingerprints.getBytes(StandardCharsets.UTF_8));
    }
}

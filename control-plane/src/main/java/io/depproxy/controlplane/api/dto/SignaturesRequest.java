package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Whether pulled images must carry a cosign signature by one of {@code keys} (PEM {@code PUBLIC KEY} blocks as in
 * {@code cosign.pub}: ECDSA P-256, RSA of 2048 bits or more, Ed25519); {@code warn} and {@code enforce} need a key.
 */
public record SignaturesRequest(
        @JsonProperty("mode") @Size(max = 16)
        @Schema(enumeration = {"off", "warn", "enforce"}, defaultValue = "off") String mode,
        @JsonProperty("keys") @Size(max = SignaturesRequest.MAX_KEYS)
        List<@Size(max = SignaturesRequest.MAX_PEM_LENGTH) String> keys) {
    /** Most keys one group's policy holds. */
    public static final int MAX_KEYS = 20;
    /** Longest PEM block (an RSA 8192-bit key's is about 1.5 kB). */
    public static final int MAX_PEM_LENGTH = 8192;
}

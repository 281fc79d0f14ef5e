package io.depproxy.controlplane.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.ContractJson;
import java.io.IOException;

/**
 * What a cosign simple-signing payload says it signs: {@code critical.image.docker-manifest-digest} and
 * {@code critical.type}. The payload is JSON that cosign writes and signs byte for byte; it is read here only after
 * its bytes matched the digest of the layer that carried them.
 */
public record SignedPayload(String manifestDigest, String type) {
    /** The only {@code critical.type} cosign writes for an image signature. */
    public static final String COSIGN_TYPE = "cosign container image signature";
    private static final ObjectMapper JSON = ContractJson.mapper();

    /** The payload's claims; {@link IllegalArgumentException} when it is not a simple-signing document. */
    public static SignedPayload parse(byte[] payload) {
        JsonNode critical;
        try {
            critical = JSON.readTree(payload).path("critical");
        } catch (IOException e) {
            throw new IllegalArgumentException("the signed payload is not JSON");
        }
        String digest = critical.path("image").path("docker-manifest-digest").asText(null);
        String type = critical.path("type").asText(null);
        if (digest == null || type == null) {
            throw new IllegalArgumentException("the signed payload has no critical.image.docker-manifest-digest or "
                    + "critical.type");
        }
        return new SignedPayload(digest, type);
    }

    /** Whether the payload is a cosign image signature of {@code digest}. */
    public boolean signs(String digest) {
        return COSIGN_TYPE.equals(type) && digest.equals(manifestDigest);
    }
}

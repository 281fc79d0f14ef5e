package io.depproxy.controlplane.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests an index (OCI image index or Docker manifest list) lists: a platform manifest is accepted when an
 * index listing it in the same repository was verified, as {@code cosign sign} signs the index a tag names.
 */
final class IndexChildren {
    private static final ObjectMapper JSON = ContractJson.mapper();

    private IndexChildren() {
    }

    /** The sha256 digests under {@code manifests}; none when the body is not an index. */
    static List<String> of(byte[] body) {
        List<String> children = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(body).path("manifests")) {
                String digest = entry.path("digest").asText("");
                if (Digests.isSha256(digest)) {
                    children.add(digest);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return children;
    }
}

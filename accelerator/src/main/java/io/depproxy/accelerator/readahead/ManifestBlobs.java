package io.depproxy.accelerator.readahead;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blobs an image manifest (schema 2: Docker's or OCI's) names, in the order a client fetches them: the config,
 * then the layers. An index or manifest list, schema 1, anything unparsable, and foreign layers (with {@code urls}: a
 * client fetches those from the URLs, never from the registry) name none. A digest named twice counts once.
 */
final class ManifestBlobs {
    /** More than an image may have (Docker refuses more than 127 layers). */
    static final int MAX_BLOBS = 256;

    private ManifestBlobs() {
    }

    /** A blob of the manifest: its digest and the size the manifest declares. */
    record Blob(String digest, long size) {
    }

    static List<Blob> of(byte[] manifest) {
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(manifest);
        } catch (IOException e) {
            return List.of();
        }
        if (root == null || !root.isObject() || root.path("schemaVersion").asInt() != 2 || root.has("manifests")
                || !root.path("config").isObject() || !root.path("layers").isArray()) {
            return List.of();
        }
        Map<String, Blob> blobs = new LinkedHashMap<>();
        add(root.get("config"), blobs);
        for (JsonNode layer : root.get("layers")) {
            add(layer, blobs);
        }
        return List.copyOf(blobs.values());
    }

    /**
     * The first of {@code blobs} whose declared sizes fit {@code budget} together; a blob that does not fit is left
     * out and the next ones are still tried.
     */
    static List<Blob> within(List<Blob> blobs, long budget) {
        List<Blob> chosen = new ArrayList<>();
        long left = budget;
        for (Blob blob : blobs) {
            if (blob.size() <= left) {
                chosen.add(blob);
                left -= blob.size();
            }
        }
        return chosen;
    }

    private static void add(JsonNode descriptor, Map<String, Blob> blobs) {
        if (blobs.size() >= MAX_BLOBS || descriptor == null || !descriptor.isObject() || descriptor.has("urls")) {
            return;
        }
        JsonNode digest = descriptor.get("digest");
        JsonNode size = descriptor.get("size");
        if (digest == null || !digest.isTextual() || !Digests.isSha256(digest.asText()) || size == null
                || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            return;
        }
        blobs.putIfAbsent(digest.asText(), new Blob(digest.asText(), size.asLong()));
    }
}

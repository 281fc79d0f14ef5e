package io.depproxy.controlplane.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a group's cached blobs are to its images: an image's config or one of its layers. A registry serves every blob
 * as {@code application/octet-stream} and the blob record keeps no media type, so the answer comes from the image
 * manifests that name the blobs: the group's servable ones, newest pull first, at most {@value #MANIFESTS_READ} of
 * them (their bodies through {@link ManifestBodies}, held in memory once read). A blob none of them names gets no
 * kind; the page then calls it what it is known to be, a blob.
 */
@ApplicationScoped
public class BlobKinds {
    /** How many manifests one listing reads at most (each is a small object, read once per replica). */
    static final int MANIFESTS_READ = 100;
    private static final List<String> IMAGE_MANIFESTS = List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST);

    /** What a manifest says a blob is. */
    public enum Kind {
        CONFIG, LAYER
    }

    @Inject
    ManifestRepository manifests;
    @Inject
    ManifestBodies bodies;

    /** The kind of each of {@code digests} that a manifest of the group names; the others are absent. */
    public Map<String, Kind> of(long groupId, Collection<String> digests) {
        Map<String, Kind> found = new HashMap<>();
        if (digests.isEmpty()) {
            return found;
        }
        for (CachedManifest manifest : manifests.newestServable(groupId, IMAGE_MANIFESTS, MANIFESTS_READ)) {
            bodies.get(ServableManifest.of(manifest)).ifPresent(body -> name(body, digests, found));
            if (found.size() == digests.size()) {
                break;
            }
        }
        return found;
    }

    private static void name(byte[] body, Collection<String> wanted, Map<String, Kind> found) {
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(body);
        } catch (IOException e) {
            return;
        }
        String config = root.path("config").path("digest").asText("");
        if (wanted.contains(config)) {
            found.putIfAbsent(config, Kind.CONFIG);
        }
        for (JsonNode layer : root.path("layers")) {
            String digest = layer.path("digest").asText("");
            if (wanted.contains(digest)) {
                found.putIfAbsent(digest, Kind.LAYER);
            }
        }
    }
}

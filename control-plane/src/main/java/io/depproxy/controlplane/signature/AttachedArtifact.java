package io.depproxy.controlplane.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * An artifact attached to an image (an SBOM, an attestation: an OCI 1.1 manifest with a {@code subject}) that is not
 * itself an image: its config is not an image configuration, so no runtime runs it. Such an artifact is served when
 * its subject is a signed image, so that {@code oras discover} / {@code oras pull} of an image's SBOM keep working
 * where signatures are enforced. A manifest with an image configuration is checked as an image, subject or not.
 */
final class AttachedArtifact {
    private static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");
    private static final ObjectMapper JSON = ContractJson.mapper();

    private AttachedArtifact() {
    }

    /** The digest of the subject {@code manifest} is attached to, when it is an artifact that is not an image. */
    static Optional<String> subjectOf(byte[] manifest) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            return Optional.empty();
        }
        String subject = root.path("subject").path("digest").asText("");
        String config = root.path("config").path("mediaType").asText("");
        if (!Digests.isSha256(subject) || IMAGE_CONFIGS.contains(config) || root.has("manifests")) {
            return Optional.empty();
        }
        return Optional.of(subject);
    }
}

package io.depproxy.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Media types of the registry API and of the internal contract, and the rule for the {@code Content-Type} of a
 * miss: what a client gets is always a type from this list, never an upstream's own choice (an upstream that
 * answers {@code text/html} would otherwise have a browser render its bytes on this service's origin).
 */
public final class MediaTypes {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Every manifest type we accept from an upstream, in the order we ask for them. */
    public static final List<String> MANIFEST_TYPES = List.of(DOCKER_MANIFEST, OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST);
    /**
     * A manifest whose type nothing names: Docker's manifests and lists must carry {@code mediaType}, OCI's only
     * should, so a manifest without one is most likely an OCI image manifest.
     */
    public static final String UNNAMED_MANIFEST = OCI_MANIFEST;

    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String REGISTRY_ERROR_JSON = "application/json";
    /** Content type of the control plane's authorize answer (GitLab's INTERNAL_API_CONTENT_TYPE). */
    public static final String WORKHORSE_INTERNAL_JSON = "application/vnd.gitlab-workhorse+json";
    public static final String FORM = "application/x-www-form-urlencoded";

    private MediaTypes() {
    }

    public static boolean isManifestType(String contentType) {
        return contentType != null && MANIFEST_TYPES.contains(stripParameters(contentType));
    }

    public static String stripParameters(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }

    /** {@code announced} without parameters when it is a known manifest or index type; otherwise {@code otherwise}. */
    public static String manifestTypeOr(String announced, String otherwise) {
        return isManifestType(announced) ? stripParameters(announced) : otherwise;
    }

    /** The known manifest or index type a manifest's JSON names in {@code mediaType}, if it names one. */
    public static Optional<String> declaredBy(byte[] manifest) {
        try {
            JsonNode root = ContractJson.mapper().readTree(manifest);
            JsonNode mediaType = root == null ? null : root.get("mediaType");
            return mediaType != null && mediaType.isTextual() && isManifestType(mediaType.asText())
                    ? Optional.of(stripParameters(mediaType.asText())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package io.depproxy.contracts;

import java.util.List;

/** Media types of the registry API and of the internal contract. */
public final class MediaTypes {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Every manifest type we accept from an upstream, in the order we ask for them. */
    public static final List<String> MANIFEST_TYPES = List.of(DOCKER_MANIFEST, OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST);

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
}

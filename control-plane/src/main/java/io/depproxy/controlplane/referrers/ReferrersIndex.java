package io.depproxy.controlplane.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The referrers of one subject as an OCI image index: read from what an upstream answered (its referrers API, or the
 * {@code sha256-<hex>} fallback tag's index that oras and the OCI spec write), filtered by {@code artifactType}, and
 * written back as the index the referrers API answers. The descriptors are kept as the upstream wrote them (so the
 * cache answers the same index), only entries without a sha256 digest or a media type are left out.
 */
public record ReferrersIndex(List<ObjectNode> descriptors) {
    public static final ReferrersIndex EMPTY = new ReferrersIndex(List.of());
    /** A media type as RFC 6838 names them ({@code type/subtype}, with {@code +suffix} or parameters-free). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    /** One referrer, parsed: what a caller (a signature check) needs of a descriptor. */
    public record Referrer(String mediaType, String digest, long size, String artifactType,
                           Map<String, String> annotations) {
    }

    public ReferrersIndex {
        descriptors = List.copyOf(descriptors);
    }

    /** Whether {@code artifactType} (a client's query value) is a media type a filter can name. */
    public static boolean validArtifactType(String artifactType) {
        return MEDIA_TYPE.matcher(artifactType).matches();
    }

    /** The descriptors of an image index body, when {@code body} is one (an object with a {@code manifests} list). */
    public static Optional<ReferrersIndex> parse(String body) {
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.path("manifests").isArray()) {
            return Optional.empty();
        }
        String mediaType = root.path("mediaType").asText(MediaTypes.OCI_INDEX);
        if (!mediaType.equals(MediaTypes.OCI_INDEX) && !mediaType.equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
            return Optional.empty();
        }
        List<ObjectNode> descriptors = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            if (entry.isObject() && Digests.isSha256(entry.path("digest").asText())
                    && entry.path("mediaType").isTextual()) {
                descriptors.add((ObjectNode) entry);
            }
        }
        return Optional.of(new ReferrersIndex(descriptors));
    }

    /** The referrers whose {@code artifactType} is {@code artifactType}; all of them for null. */
    public ReferrersIndex filtered(String artifactType) {
        if (artifactType == null) {
            return this;
        }
        return new ReferrersIndex(descriptors.stream()
                .filter(entry -> artifactType.equals(entry.path("artifactType").asText(null))).toList());
    }

    /** The referrers API's answer: an OCI image index listing the descriptors. */
    public String body() {
        ObjectNode index = ContractJson.mapper().createObjectNode().put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        descriptors.forEach(manifests::add);
        return index.toString();
    }

    public List<Referrer> referrers() {
        return descriptors.stream().map(ReferrersIndex::referrer).toList();
    }

    private static Referrer referrer(ObjectNode entry) {
        Map<String, String> annotations = new LinkedHashMap<>();
        entry.path("annotations").properties().forEach(field -> {
            if (field.getValue().isTextual()) {
                annotations.put(field.getKey(), field.getValue().asText());
            }
        });
        return new Referrer(entry.path("mediaType").asText(), entry.path("digest").asText(),
                entry.path("size").asLong(), entry.path("artifactType").asText(null),
                Collections.unmodifiableMap(annotations));
    }
}

package io.depproxy.controlplane.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One signature of a cosign signature manifest: a layer of type {@value #SIMPLE_SIGNING} whose blob is the signed
 * payload, with the base64 signature in the {@value #SIGNATURE_ANNOTATION} annotation. {@code keyless}: the layer
 * carries a Fulcio certificate or a Rekor bundle, which only a keyless (internet-backed) verification can use.
 */
public record SignatureLayer(String digest, long size, String signature, boolean keyless) {
    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    private static final ObjectMapper JSON = ContractJson.mapper();

    /** The simple-signing layers of a signature manifest; {@link IllegalArgumentException} when it is not JSON. */
    public static List<SignatureLayer> of(byte[] manifest) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new IllegalArgumentException("the signature manifest is not JSON");
        }
        List<SignatureLayer> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            String digest = layer.path("digest").asText("");
            if (!SIMPLE_SIGNING.equals(layer.path("mediaType").asText()) || !Digests.isSha256(digest)) {
                continue;
            }
            JsonNode annotations = layer.path("annotations");
            boolean keyless = annotations.has(CERTIFICATE_ANNOTATION) || annotations.has(BUNDLE_ANNOTATION);
            layers.add(new SignatureLayer(digest, layer.path("size").asLong(-1),
                    annotations.path(SIGNATURE_ANNOTATION).asText(null), keyless));
        }
        return layers;
    }
}

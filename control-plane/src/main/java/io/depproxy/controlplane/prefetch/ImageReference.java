package io.depproxy.controlplane.prefetch;

import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;

/**
 * An image a prefetch asks for ({@code name[:tag]} or {@code name@sha256:…}, as a client would write it after the
 * group's prefix), checked with the registry's own path grammar so a prefetch takes exactly what a pull takes.
 */
public record ImageReference(String name, String reference) {
    private static final String DEFAULT_TAG = "latest";

    public static ImageReference parse(String text, String groupPath) {
        String trimmed = text == null ? "" : text.trim();
        int at = trimmed.indexOf('@');
        int colon = trimmed.lastIndexOf(':');
        String name;
        String reference;
        if (at >= 0) {
            name = trimmed.substring(0, at);
            reference = trimmed.substring(at + 1);
        } else if (colon > trimmed.lastIndexOf('/')) {
            name = trimmed.substring(0, colon);
            reference = trimmed.substring(colon + 1);
        } else {
            name = trimmed;
            reference = DEFAULT_TAG;
        }
        try {
            RegistryRequest.parse(RegistryRequest.groupPath(groupPath, name + "/manifests/" + reference));
        } catch (RegistryException e) {
            throw ApiException.badRequest("images: not an image reference: " + text);
        }
        return new ImageReference(name, reference);
    }

    @Override
    public String toString() {
        return name + (reference.contains(":") ? "@" : ":") + reference;
    }
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v4/groups/:id/dependency_proxy/prefetch}: the images (as pulled through the group's prefix), the
 * platforms of multi-platform images (none: all), and {@code with_chain} (default false): also each image's cosign
 * signature tag ({@code sha256-<hex>.sig}, when it has one), its referrers index and every referrer's manifest and
 * blobs, so a signature check and the referrers API work with the upstream gone.
 */
public record PrefetchRequest(
        @JsonProperty("images") List<String> images,
        @JsonProperty("platforms") List<String> platforms,
        @JsonProperty("with_chain") Boolean withChain) implements FormOrJsonRequest {
}

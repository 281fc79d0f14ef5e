package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.domain.CachedManifest;
import java.time.Instant;

/**
 * What a manifest hit needs of a servable record: an immutable copy, safe to keep between requests.
 * {@code upstreamId}: the upstream that served it, null when unknown.
 */
public record ServableManifest(long id, String digest, String contentType, long size, String objectKey,
                               Instant validatedAt, Long upstreamId) {

    static ServableManifest of(CachedManifest manifest) {
        return new ServableManifest(manifest.getId(), manifest.getDigest(), manifest.getContentType(),
                manifest.getSize(), manifest.getObjectKey(), manifest.getValidatedAt(), manifest.getUpstreamId());
    }

    ServableManifest validatedAt(Instant at) {
        return new ServableManifest(id, digest, contentType, size, objectKey, at, upstreamId);
    }
}

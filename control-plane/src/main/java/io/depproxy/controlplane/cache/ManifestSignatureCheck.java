package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamRouting;

/**
 * The signature check every manifest answer passes before it is served (implemented in {@code signature/}, which
 * depends on this package, not the other way round). It returns when the manifest may be served and throws a
 * {@code RegistryException} (403 DENIED) when the group requires a signature the manifest lacks.
 */
public interface ManifestSignatureCheck {
    /**
     * {@code digest}: the manifest's (null when the upstream did not name it); {@code contentType}: its type when
     * known, else null; {@code upstreamId}: the upstream that serves it, null when unknown (then the one that served
     * the image last, see {@link UpstreamRouting#forBlob}).
     */
    void check(RegistryRequest request, PullTarget target, String digest, String contentType, Long upstreamId);
}

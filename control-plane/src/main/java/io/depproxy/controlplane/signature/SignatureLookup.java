package io.depproxy.controlplane.signature;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.cache.ManifestBodies;
import io.depproxy.controlplane.cache.ManifestRecords;
import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CacheStatus;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.referrers.ReferrersIndex;
import io.depproxy.controlplane.referrers.ReferrersService;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHttp;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads what a signature check needs (the manifest under the {@code sha256-<hex>.sig} tag, or those attached as
 * referrers, the payload blobs they name, or an index's body) through the control plane's upstream client (its
 * auth, destination policy and bounded reads), from the upstream that serves the image in the same repository; when
 * that upstream cannot be asked, from the cache's own copies (a client or a prefetch pulled the signature tag
 * through it). A 404 from every upstream asked is an answer: there is no signature.
 */
@ApplicationScoped
public class SignatureLookup {
    /** A signature manifest is a few hundred bytes; more than this is not one. */
    static final int MAX_SIGNATURE_MANIFEST_BYTES = 256 * 1024;
    /** The artifact type cosign gives a signature it attaches as a referrer. */
    static final String COSIGN_SIGNATURE_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
    /** The most of an index read to remember its platform manifests. */
    static final int MAX_INDEX_BYTES = 4 * 1024 * 1024;

    @Inject
    UpstreamClient upstream;
    @Inject
    UpstreamRouting routing;
    @Inject
    ManifestRecords manifests;
    @Inject
    ManifestBodies bodies;
    @Inject
    BlobRepository blobs;
    @Inject
    ObjectStorage storage;
    @Inject
    ReferrersService referrers;

    /** The signature manifest of {@code digest} in {@code image}; {@link SignatureUnavailable} when none could ask. */
    public SignatureSource signatures(PullTarget target, String image, String digest, Long upstreamId) {
        String tag = SignatureTags.signatureTag(digest);
        UpstreamException failure = null;
        String missingAt = null;
        for (UpstreamRouting.Candidate candidate : route(target, image, upstreamId).candidates()) {
            UpstreamHttp.Result answer;
            try {
                answer = upstream.getManifest(candidate.endpoint(), candidate.name(), tag, candidate.credentials(),
                        MAX_SIGNATURE_MANIFEST_BYTES);
            } catch (UpstreamException e) {
                failure = e;
                continue;
            }
            if (answer.status() == 200) {
                return new SignatureSource(bytes(answer), payloads(target, image, candidate.endpoint().id()),
                        candidate.endpoint().name());
            }
            if (answer.status() == 404) {
                missingAt = missingAt == null ? candidate.endpoint().name() : missingAt;
                continue;
            }
            failure = new UpstreamException("GET of " + tag + " answered " + answer.status());
        }
        if (failure == null && missingAt != null) {
            return SignatureSource.absent(missingAt);
        }
        Optional<byte[]> cached = manifests.byTag(target.groupId(), image, tag, false).flatMap(bodies::get);
        if (cached.isPresent()) {
            return new SignatureSource(cached.get(), blob -> cachedBlob(target, blob), "the cache");
        }
        // the client reads a general reason (as for any upstream failure); the address and the error go to the log
        if (failure != null) {
            Log.warnf("signature %s of %s could not be looked up upstream: %s", tag, image, failure.getMessage());
        }
        throw new SignatureUnavailable("the signature under tag " + tag + " could not be looked up: "
                + (failure == null ? "no upstream to ask" : "the upstream registry could not be reached")
                + ", and no copy is cached");
    }

    /** The body of manifest {@code digest} (an index, to remember its platform manifests): cached, else upstream. */
    public Optional<byte[]> manifest(PullTarget target, String image, String digest, Long upstreamId) {
        Optional<byte[]> cached = manifests.byDigest(target.groupId(), digest).flatMap(bodies::get);
        if (cached.isPresent()) {
            return cached;
        }
        for (UpstreamRouting.Candidate candidate : route(target, image, upstreamId).candidates()) {
            try {
                UpstreamHttp.Result answer = upstream.getManifest(candidate.endpoint(), candidate.name(), digest,
                        candidate.credentials(), MAX_INDEX_BYTES);
                if (answer.status() == 200) {
                    return Optional.of(bytes(answer));
                }
            } catch (UpstreamException e) {
                Log.debugf("index %s not read from %s: %s", digest, candidate.endpoint().name(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The cosign signature manifests attached to {@code digest} as referrers ({@value #COSIGN_SIGNATURE_ARTIFACT}),
     * as the referrers route lists them; none when they cannot be listed.
     */
    public List<String> signatureReferrers(RegistryRequest request, PullTarget target, String digest) {
        try {
            return referrers.referrers(request, target, digest, COSIGN_SIGNATURE_ARTIFACT).stream()
                    .map(ReferrersIndex.Referrer::digest).filter(Digests::isSha256).toList();
        } catch (RegistryException e) {
            Log.debugf("referrers of %s not listed: %s", digest, e.getMessage());
            return List.of();
        }
    }

    /** Reads payload blobs of {@code image}: from its upstream, else from the cache. */
    public Function<String, Optional<byte[]>> payloads(PullTarget target, String image, Long upstreamId) {
        List<UpstreamRouting.Candidate> candidates = route(target, image, upstreamId).candidates();
        return blob -> candidates.stream().map(candidate -> upstreamBlob(candidate, blob)).flatMap(Optional::stream)
                .findFirst().or(() -> cachedBlob(target, blob));
    }

    private UpstreamRouting.Route route(PullTarget target, String image, Long upstreamId) {
        return upstreamId != null ? routing.servedBy(upstreamId, image, target) : routing.forBlob(image, target);
    }

    private Optional<byte[]> upstreamBlob(UpstreamRouting.Candidate candidate, String digest) {
        try {
            UpstreamHttp.Result answer = upstream.getBlob(candidate.endpoint(), candidate.name(), digest,
                    candidate.credentials(), CosignVerifier.MAX_PAYLOAD_BYTES);
            return answer.status() == 200 ? Optional.of(bytes(answer)) : Optional.empty();
        } catch (UpstreamException e) {
            return Optional.empty();
        }
    }

    private Optional<byte[]> cachedBlob(PullTarget target, String digest) {
        Optional<CachedBlob> blob = blobs.findByFileName(target.groupId(), CachedBlob.fileName(digest))
                .filter(found -> found.getStatus() == CacheStatus.DEFAULT
                        && found.getSize() <= CosignVerifier.MAX_PAYLOAD_BYTES);
        try {
            return blob.flatMap(found -> storage.read(found.getObjectKey(), CosignVerifier.MAX_PAYLOAD_BYTES));
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    /** The upstream client reads bodies as UTF-8 text; payloads and manifests are JSON, so this gives their bytes. */
    private static byte[] bytes(UpstreamHttp.Result answer) {
        return answer.body().getBytes(StandardCharsets.UTF_8);
    }
}

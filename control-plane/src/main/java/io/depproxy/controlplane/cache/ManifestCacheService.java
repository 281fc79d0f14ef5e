package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.identity.PullTarget;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;

/**
 * Manifest requests. By digest: a cached copy is a hit with no upstream contact. By tag: the upstream is asked with
 * a HEAD (free on Docker Hub's rate limit) unless the record was validated within the group's
 * {@code manifest_revalidate_after}; same digest → hit, changed → fetch, upstream failure → the cached copy, stale.
 */
@ApplicationScoped
public class ManifestCacheService {
    @Inject
    ManifestRepository manifests;
    @Inject
    CacheRecordService records;
    @Inject
    UpstreamClient upstream;
    @Inject
    UpstreamAnswers answers;
    @Inject
    CacheMetrics metrics;
    @Inject
    CacheStatistics statistics;

    public CacheDecision decide(RegistryRequest request, PullTarget target, boolean head) {
        String name = upstream.upstreamName(request.image());
        String reference = request.reference();
        if (request.byDigest()) {
            Optional<CachedManifest> cached = manifests.findActiveByDigest(target.groupId(), reference);
            if (cached.isPresent()) {
                return hit(cached.get(), false, "hit", target, head);
            }
            return head ? describe(name, reference, target) : fetch(name, request, target, reference, reference);
        }
        Optional<CachedManifest> cached = manifests.findActiveByFileName(target.groupId(),
                CachedManifest.fileName(request.image(), reference));
        if (cached.isPresent() && fresh(cached.get(), target)) {
            return hit(cached.get(), false, "hit", target, head);
        }
        UpstreamHead upstreamHead;
        try {
            upstreamHead = upstream.headManifest(name, reference, target.upstreamCredentials());
        } catch (UpstreamException e) {
            if (cached.isPresent()) {
                return hit(cached.get(), false, "stale", target, head);
            }
            throw UpstreamAnswers.unavailable(e);
        }
        if (upstreamHead.ok() && upstreamHead.contentLength() != null
                && upstreamHead.contentLength() > AuthorizeResponse.MAX_MANIFEST_SIZE) {
            throw new RegistryException(RegistryErrorCode.MANIFEST_INVALID,
                    "manifest is " + upstreamHead.contentLength() + " bytes; the limit is 10 MiB");
        }
        if (upstreamHead.ok() && upstreamHead.digest() != null) {
            if (cached.isPresent() && upstreamHead.digest().equals(cached.get().getDigest())) {
                return hit(cached.get(), true, "hit", target, head);
            }
            if (head) {
                metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
                return answers.describe(upstreamHead, RegistryErrorCode.MANIFEST_UNKNOWN, null);
            }
            return fetch(name, request, target, null, upstreamHead.digest());
        }
        if (cached.isPresent() && !upstreamHead.ok()) {
            return hit(cached.get(), false, "stale", target, head);
        }
        if (head) {
            metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
            return answers.describe(upstreamHead, RegistryErrorCode.MANIFEST_UNKNOWN, null);
        }
        return fetch(name, request, target, null, null);
    }

    private static boolean fresh(CachedManifest manifest, PullTarget target) {
        int window = target.manifestRevalidateAfterSeconds();
        return window > 0 && manifest.getValidatedAt() != null
                && manifest.getValidatedAt().plusSeconds(window).isAfter(Instant.now());
    }

    private CacheDecision hit(CachedManifest manifest, boolean validated, String cacheStatus, PullTarget target,
                              boolean head) {
        records.manifestRead(manifest, validated);
        metrics.decision(RegistryRequest.Kind.MANIFEST, cacheStatus);
        if (!head) {
            statistics.hit(target.groupId(), manifest.getSize());
        }
        return new CacheDecision.Hit(manifest.getObjectKey(), manifest.getContentType(), manifest.getDigest(),
                manifest.getSize(), cacheStatus);
    }

    private CacheDecision describe(String name, String reference, PullTarget target) {
        metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
        return answers.describe(answers.head(() -> upstream.headManifest(name, reference,
                        target.upstreamCredentials())),
                RegistryErrorCode.MANIFEST_UNKNOWN, reference);
    }

    /**
     * {@code digest}: the manifest digest when pulled by digest, null for a tag (it may move meanwhile).
     * {@code expected}: the digest the upstream announced, if any. Concurrent fetches coalesce only on it, never
     * on a tag, so a moved tag is never answered from a fetch of its previous content.
     */
    private CacheDecision fetch(String name, RegistryRequest request, PullTarget target, String digest,
                                String expected) {
        HeaderMap headers = HeaderMap.empty().with("Accept", MediaTypes.MANIFEST_TYPES.toArray(String[]::new));
        Optional<String> authorization = answers.authorization(name, target.upstreamCredentials());
        if (authorization.isPresent()) {
            headers = headers.with("Authorization", authorization.get());
        }
        metrics.decision(RegistryRequest.Kind.MANIFEST, "miss");
        statistics.miss(target.groupId());
        String coalesceKey = expected == null ? null : "manifest:" + target.groupId() + ":" + expected;
        return new CacheDecision.Fetch(upstream.manifestUrl(name, request.reference()), headers, digest, coalesceKey);
    }
}

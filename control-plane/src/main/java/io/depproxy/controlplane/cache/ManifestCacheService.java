package io.depproxy.controlplane.cache;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Manifest requests. By digest: a cached copy is a hit with no upstream contact. By tag: the upstream is asked with
 * a HEAD (free on Docker Hub's rate limit) unless the record was validated within the group's
 * {@code manifest_revalidate_after}; same digest → hit, changed → fetch, upstream failure → the newest record of the
 * tag whose object still exists, stale ({@link StaleManifests}). A GET hit carries the body when this replica holds it
 * in memory. Which upstream is asked: {@link UpstreamRouting}.
 */
@ApplicationScoped
public class ManifestCacheService {
    @Inject
    ManifestRecords manifests;
    @Inject
    ManifestBodies bodies;
    @Inject
    CacheRecordService records;
    @Inject
    HitRecorder hits;
    @Inject
    UpstreamClient upstream;
    @Inject
    UpstreamRouting routing;
    @Inject
    UpstreamAnswers answers;
    @Inject
    CacheMetrics metrics;
    @Inject
    StaleManifests stale;
    @Inject
    ManifestSignatureCheck signatures;

    /**
     * The answer to a manifest request, once it passed the group's signature check (a fetch is checked before it is
     * handed out, in {@link #fetch}, where the upstream's digest is known).
     */
    public CacheDecision decide(RegistryRequest request, PullTarget target, boolean head) {
        CacheDecision decision = answer(request, target, head);
        if (decision instanceof CacheDecision.Hit hit) {
            signatures.check(request, target, hit.digest(), hit.contentType(), null);
        } else if (decision instanceof CacheDecision.Described described) {
            signatures.check(request, target, described.digest(), described.contentType(), null);
        }
        return decision;
    }

    private CacheDecision answer(RegistryRequest request, PullTarget target, boolean head) {
        String reference = request.reference();
        if (request.byDigest()) {
            Optional<ServableManifest> cached = manifests.byDigest(target.groupId(), reference);
            if (cached.isPresent()) {
                return hit(cached.get(), "hit", target, head);
            }
            return byDigestFromUpstream(request, target, head);
        }
        Optional<ServableManifest> cached = manifests.byTag(target.groupId(), request.image(), reference, false);
        UpstreamRouting.Route route = cached.isPresent()
                ? routing.servedBy(cached.get().upstreamId(), request.image(), target)
                : routing.route(request.image(), target);
        if (cached.isPresent() && fresh(cached.get(), target, route.first().endpoint())) {
            return hit(cached.get(), "hit", target, head);
        }
        UpstreamRouting.Probe probe;
        try {
            probe = routing.firstHaving(route, headOf(reference));
        } catch (UpstreamException e) {
            return staleHit(request, target, head, cached).orElseThrow(() -> UpstreamAnswers.unavailable(e));
        }
        UpstreamRouting.Candidate chosen = probe.candidate();
        UpstreamHead upstreamHead = probe.head();
        routing.remember(target, request.image(), chosen);
        if (upstreamHead.ok() && upstreamHead.contentLength() != null
                && upstreamHead.contentLength() > AuthorizeResponse.MAX_MANIFEST_SIZE) {
            throw new RegistryException(RegistryErrorCode.MANIFEST_INVALID,
                    "manifest is " + upstreamHead.contentLength() + " bytes; the limit is 10 MiB");
        }
        if (upstreamHead.ok() && upstreamHead.digest() != null) {
            if (cached.isPresent() && !upstreamHead.digest().equals(cached.get().digest())) {
                // another replica may have stored the new content since this one cached the record
                cached = manifests.byTag(target.groupId(), request.image(), reference, true);
            }
            if (cached.isPresent() && upstreamHead.digest().equals(cached.get().digest())) {
                return validatedHit(cached.get(), request, target, head);
            }
            if (head) {
                metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
                return answers.describe(upstreamHead, RegistryRequest.Kind.MANIFEST, null);
            }
            return fetch(chosen, request, target, null, upstreamHead);
        }
        // with a record, any upstream error serves it stale; without one, only a failing upstream looks further back
        boolean serveStale = !upstreamHead.ok() && (cached.isPresent() || upstreamHead.status() >= 500
                || upstreamHead.status() == 429);
        Optional<CacheDecision> staleHit = serveStale ? staleHit(request, target, head, cached) : Optional.empty();
        if (staleHit.isPresent()) {
            return staleHit.get();
        }
        if (upstreamHead.refused()) {
            throw UpstreamAnswers.refused("upstream HEAD of " + chosen.name() + ":" + reference + " answered "
                    + upstreamHead.status());
        }
        if (head || !upstreamHead.ok() && !route.single()) {
            metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
            return answers.describe(upstreamHead, RegistryRequest.Kind.MANIFEST, null);
        }
        return fetch(chosen, request, target, null, upstreamHead);
    }

    /**
     * A manifest by digest that is not cached: with one upstream to ask, a HEAD is answered from its HEAD and a GET
     * fetched at once; with several, the first that has it (by HEAD) serves it.
     */
    private CacheDecision byDigestFromUpstream(RegistryRequest request, PullTarget target, boolean head) {
        String reference = request.reference();
        UpstreamRouting.Route route = routing.route(request.image(), target);
        if (route.single() && !head) {
            routing.remember(target, request.image(), route.first());
            return fetch(route.first(), request, target, reference, null);
        }
        metrics.decision(RegistryRequest.Kind.MANIFEST, "upstream_head");
        UpstreamRouting.Probe probe = answers.head(() -> routing.firstHaving(route, headOf(reference)));
        CacheDecision described = answers.describe(probe.head(), RegistryRequest.Kind.MANIFEST, reference);
        routing.remember(target, request.image(), probe.candidate());
        return head ? described : fetch(probe.candidate(), request, target, reference, probe.head());
    }

    private Function<UpstreamRouting.Candidate, UpstreamHead> headOf(String reference) {
        return candidate -> upstream.headManifest(candidate.endpoint(), candidate.name(), reference,
                candidate.credentials());
    }

    private static boolean fresh(ServableManifest manifest, PullTarget target, UpstreamEndpoint upstream) {
        int window = upstream.revalidateAfter(target.manifestRevalidateAfterSeconds());
        return window > 0 && manifest.validatedAt() != null
                && manifest.validatedAt().plusSeconds(window).isAfter(Instant.now());
    }

    /**
     * With a revalidation window the validation is written at once (others rely on it to skip their HEADs; it
     * happens once a window); without one nobody reads it before the next flush, so it is coalesced like a read.
     */
    private CacheDecision validatedHit(ServableManifest manifest, RegistryRequest request, PullTarget target,
                                       boolean head) {
        if (target.manifestRevalidateAfterSeconds() > 0) {
            Instant now = Instant.now();
            records.manifestValidated(manifest.id(), now);
            manifests.validated(target.groupId(), request.image(), request.reference(), manifest, now);
        } else {
            hits.manifestRead(manifest.id(), true);
        }
        return hit(manifest, "hit", target, head);
    }

    private Optional<CacheDecision> staleHit(RegistryRequest request, PullTarget target, boolean head,
                                             Optional<ServableManifest> cached) {
        return stale.newestWithObject(target.groupId(), request.image(), request.reference(), cached)
                .map(manifest -> hit(manifest, "stale", target, head));
    }

    private CacheDecision hit(ServableManifest manifest, String cacheStatus, PullTarget target, boolean head) {
        hits.manifestRead(manifest.id(), false);
        metrics.decision(RegistryRequest.Kind.MANIFEST, cacheStatus);
        byte[] body = null;
        if (!head) {
            hits.hit(target.groupId(), manifest.size());
            body = bodies.get(manifest).orElse(null);
        }
        return new CacheDecision.Hit(manifest.objectKey(), manifest.contentType(), manifest.digest(),
                manifest.size(), cacheStatus, body);
    }

    /**
     * {@code digest}: the manifest digest when pulled by digest, null for a tag (it may move meanwhile).
     * {@code announced}: the upstream's HEAD, if it was asked. Concurrent fetches coalesce only on a digest (the
     * requested one, else the one the HEAD announced), never on a tag, so a moved tag is never answered from a fetch
     * of its previous content, and only with fetches from the same upstream and repository ({@link CoalesceKey}).
     * The client is told the type the HEAD announced when it is a known manifest type (the accelerator may still
     * take a better one from the upstream's GET or the manifest itself).
     */
    private CacheDecision fetch(UpstreamRouting.Candidate candidate, RegistryRequest request, PullTarget target,
                                String digest, UpstreamHead announced) {
        UpstreamHead head = announced == null || !announced.ok() ? null : announced;
        String expected = digest != null ? digest : head == null ? null : head.digest();
        signatures.check(request, target, expected, head == null ? null : head.contentType(),
                candidate.endpoint().id());
        HeaderMap headers = HeaderMap.empty().with("Accept", MediaTypes.MANIFEST_TYPES.toArray(String[]::new));
        Optional<String> authorization = answers.authorization(candidate);
        if (authorization.isPresent()) {
            headers = headers.with("Authorization", authorization.get());
        }
        metrics.decision(RegistryRequest.Kind.MANIFEST, "miss");
        hits.miss(target.groupId());
        String coalesceKey = expected == null ? null : CoalesceKey.manifest(target, candidate, expected);
        String contentType = MediaTypes.manifestTypeOr(head == null ? null : head.contentType(),
                MediaTypes.UNNAMED_MANIFEST);
        return new CacheDecision.Fetch(candidate.endpoint().manifestUrl(candidate.name(), request.reference()), headers,
                digest, coalesceKey, candidate.endpoint().id(), contentType, AuthorizeResponse.MAX_MANIFEST_SIZE,
                candidate.endpoint().name());
    }
}

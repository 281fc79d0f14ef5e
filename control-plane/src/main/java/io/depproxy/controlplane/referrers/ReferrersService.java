package io.depproxy.controlplane.referrers;

import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.controlplane.cache.UpstreamAnswers;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.RefusalEndsSearch;
import io.depproxy.controlplane.upstream.UpstreamAccessRefused;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHttp;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * {@code …/<image>/referrers/<digest>}, always a 200 image index, so clients (oras, notation, cosign) get the OCI 1.1
 * referrers API even where the upstream (CNCF distribution 2.8, older Harbors) has none: the upstream's own referrers
 * API when it answers an index; else the index under its {@code sha256-<hex>} fallback tag; else an empty index. The
 * upstream is the one that served the subject's manifest to the group, else the one that served the image (as for
 * its blobs), else the first of the group's order that has the subject. A replica answers the unfiltered index from
 * memory for {@code DP_TAGS_CACHE_TTL}, as tag lists are; the last good one is kept in the database
 * ({@link ReferrersRecords}), so when the upstream fails any replica answers it, marked stale (and keeps that stale
 * answer for the same window). {@code artifactType} is applied here, whether or not the upstream would have.
 */
@ApplicationScoped
public class ReferrersService {
    private static final int MAX_KEPT = 10_000;

    @Inject
    ManifestRepository manifests;
    @Inject
    UpstreamRouting routing;
    @Inject
    UpstreamClient upstream;
    @Inject
    HotPathConfig config;
    @Inject
    ReferrersRecords lastGood;

    private ShortLivedCache<Key, Known> recent;

    private record Key(long groupId, String image, String digest) {
    }

    /** The answer of the route: the index body, whether a filter was applied, and whether it is the last good one. */
    public record Answer(String body, boolean filtered, boolean stale) {
    }

    @PostConstruct
    void createCache() {
        recent = new ShortLivedCache<>(config.tagsCacheTtl(), MAX_KEPT);
    }

    /** The referrers route ({@code request.reference()} is the subject's digest); {@code artifactType} may be null. */
    public Answer answer(RegistryRequest request, PullTarget target, String artifactType) {
        validate(artifactType);
        Known known = index(request.image(), target, request.reference());
        return new Answer(known.index().filtered(artifactType).body(), artifactType != null, known.stale());
    }

    /**
     * The referrers of {@code digest} in the repository of {@code subjectRepository} (its image; its kind and
     * reference do not matter), those of {@code artifactType} only unless it is null: what the route would list.
     * Throws {@link RegistryException} when the upstream fails and no good answer is remembered.
     */
    public List<ReferrersIndex.Referrer> referrers(RegistryRequest subjectRepository, PullTarget target, String digest,
                                                   String artifactType) {
        return index(subjectRepository.image(), target, digest).index().filtered(artifactType).referrers();
    }

    private record Known(ReferrersIndex index, boolean stale) {
    }

    /** An upstream's answer; {@code upstreamId} null when no upstream of the group has the subject. */
    private record Fetched(ReferrersIndex index, Long upstreamId) {
        static Fetched none() {
            return new Fetched(ReferrersIndex.EMPTY, null);
        }
    }

    private Known index(String image, PullTarget target, String digest) {
        Key key = new Key(target.groupId(), image, digest);
        Optional<Known> remembered = recent.get(key);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        Known known;
        try {
            Fetched fetched = fromUpstream(image, target, digest);
            if (fetched.upstreamId() != null) {
                lastGood.remember(target.groupId(), fetched.upstreamId(), image, digest, fetched.index());
            }
            known = new Known(fetched.index(), false);
        } catch (RefusalEndsSearch e) {
            known = staleOr(key, UpstreamAnswers.stoppedByRefusal(e));
        } catch (UpstreamException e) {
            known = staleOr(key, UpstreamAnswers.unavailable(e));
        } catch (UpstreamFailed e) {
            known = staleOr(key, e.failure);
        }
        recent.put(key, known);
        return known;
    }

    private Known staleOr(Key key, RegistryException failure) {
        ReferrersIndex index = lastGood.lastGood(key.groupId(), key.image(), key.digest()).orElseThrow(() -> failure);
        return new Known(index, true);
    }

    /** The upstream's referrers of {@code digest}: its API's index, else its fallback tag's, else none. */
    private Fetched fromUpstream(String image, PullTarget target, String digest) {
        Optional<Long> subjectServedBy = manifests.findActiveByDigest(target.groupId(), digest)
                .filter(record -> image.equals(record.getImageName())).map(CachedManifest::getUpstreamId);
        UpstreamRouting.Route route = subjectServedBy.isPresent()
                ? routing.servedBy(subjectServedBy.get(), image, target) : routing.forBlob(image, target);
        if (route.candidates().isEmpty()) {
            return Fetched.none();
        }
        UpstreamRouting.Candidate candidate = route.first();
        if (!route.single()) {
            UpstreamRouting.Probe probe = routing.firstHaving(route, c ->
                    upstream.headManifest(c.endpoint(), c.name(), digest, c.credentials()));
            if (probe.head().status() == 404 || probe.head().refused()) {
                return Fetched.none(); // no upstream of the group has the subject: it has no referrers here
            }
            failIfError(probe.head().status(), "a HEAD of the subject");
            candidate = probe.candidate();
        }
        long upstreamId = candidate.endpoint().id();
        UpstreamHttp.Result api = upstream.referrers(candidate.endpoint(), candidate.name(), digest,
                candidate.credentials());
        if (api.status() == 200) {
            Optional<ReferrersIndex> index = ReferrersIndex.parse(api.body());
            if (index.isPresent()) {
                return new Fetched(index.get(), upstreamId);
            }
        }
        // no referrers API there (distribution 2.8 answers 404): the tag clients push when a registry has none
        String fallbackTag = digest.replace(':', '-');
        UpstreamHttp.Result tag = upstream.manifest(candidate.endpoint(), candidate.name(), fallbackTag,
                candidate.credentials());
        if (tag.status() == 404) {
            return new Fetched(ReferrersIndex.EMPTY, upstreamId);
        }
        if (UpstreamAccessRefused.isRefusal(tag.status())) {
            throw new UpstreamFailed(UpstreamAnswers.refused("upstream manifest " + candidate.name() + ":"
                    + fallbackTag + " answered " + tag.status()));
        }
        failIfError(tag.status(), "the referrers tag " + fallbackTag);
        return new Fetched(ReferrersIndex.parse(tag.body()).orElse(ReferrersIndex.EMPTY), upstreamId);
    }

    private static void failIfError(int status, String what) {
        if (status / 100 != 2) {
            int answered = status == 429 ? 429 : 503;
            throw new UpstreamFailed(new RegistryException(RegistryErrorCode.forStatus(answered), answered,
                    "the upstream answered " + status + " to " + what));
        }
    }

    private static void validate(String artifactType) {
        if (artifactType != null && !ReferrersIndex.validArtifactType(artifactType)) {
            throw new RegistryException(RegistryErrorCode.UNSUPPORTED, 400,
                    "artifactType must be a media type, such as application/spdx+json");
        }
    }

    /** An upstream answer that ends the request unless a good index is remembered. */
    private static final class UpstreamFailed extends RuntimeException {
        private final RegistryException failure;

        UpstreamFailed(RegistryException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}

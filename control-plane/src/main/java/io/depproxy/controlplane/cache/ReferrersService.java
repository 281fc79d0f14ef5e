package io.depproxy.controlplane.cache;

import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.identity.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamAccessRefused;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHttp;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code …/<image>/referrers/<digest>}, always a 200 image index, so clients (oras, notation, cosign) get the OCI 1.1
 * referrers API even where the upstream (CNCF distribution 2.8, older Harbors) has none: the upstream's own referrers
 * API when it answers an index; else the index under its {@code sha256-<hex>} fallback tag; else an empty index. The
 * upstream is the one that served the subject's manifest to the group, else the one that served the image (as for
 * its blobs), else the first of the group's order that has the subject. The unfiltered index is answered from memory for {@code DP_TAGS_CACHE_TTL}, as tag lists are; when the
 * upstream fails, the last good index is answered, marked stale. {@code artifactType} is applied here, whether or not
 * the upstream would have.
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

    private ShortLivedCache<Key, ReferrersIndex> fresh;
    private final Map<Key, ReferrersIndex> lastGood = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, ReferrersIndex> eldest) {
                    return size() > MAX_KEPT;
                }
            });

    private record Key(long groupId, String image, String digest) {
    }

    /** The answer of the route: the index body, whether a filter was applied, and whether it is the last good one. */
    public record Answer(String body, boolean filtered, boolean stale) {
    }

    @PostConstruct
    void createCache() {
        fresh = new ShortLivedCache<>(config.tagsCacheTtl(), MAX_KEPT);
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

    private Known index(String image, PullTarget target, String digest) {
        Key key = new Key(target.groupId(), image, digest);
        Optional<ReferrersIndex> remembered = fresh.get(key);
        if (remembered.isPresent()) {
            return new Known(remembered.get(), false);
        }
        ReferrersIndex index;
        try {
            index = fromUpstream(image, target, digest);
        } catch (RefusalEndsSearch e) {
            return staleOr(key, UpstreamAnswers.stoppedByRefusal(e));
        } catch (UpstreamException e) {
            return staleOr(key, UpstreamAnswers.unavailable(e));
        } catch (UpstreamFailed e) {
            return staleOr(key, e.failure);
        }
        fresh.put(key, index);
        lastGood.put(key, index);
        return new Known(index, false);
    }

    private Known staleOr(Key key, RegistryException failure) {
        ReferrersIndex index = lastGood.get(key);
        if (index == null) {
            throw failure;
        }
        return new Known(index, true);
    }

    /** The upstream's referrers of {@code digest}: its API's index, else its fallback tag's, else none. */
    private ReferrersIndex fromUpstream(String image, PullTarget target, String digest) {
        Optional<Long> subjectServedBy = manifests.findActiveByDigest(target.groupId(), digest)
                .filter(record -> image.equals(record.getImageName())).map(CachedManifest::getUpstreamId);
        UpstreamRouting.Route route = subjectServedBy.isPresent()
                ? routing.servedBy(subjectServedBy.get(), image, target) : routing.forBlob(image, target);
        if (route.candidates().isEmpty()) {
            return ReferrersIndex.EMPTY;
        }
        UpstreamRouting.Candidate candidate = route.first();
        if (!route.single()) {
            UpstreamRouting.Probe probe = routing.firstHaving(route, c ->
                    upstream.headManifest(c.endpoint(), c.name(), digest, c.credentials()));
            if (probe.head().status() == 404 || probe.head().refused()) {
                return ReferrersIndex.EMPTY; // no upstream of the group has the subject: it has no referrers here
            }
            failIfError(probe.head().status(), "a HEAD of the subject");
            candidate = probe.candidate();
        }
        UpstreamHttp.Result api = upstream.referrers(candidate.endpoint(), candidate.name(), digest,
                candidate.credentials());
        if (api.status() == 200) {
            Optional<ReferrersIndex> index = ReferrersIndex.parse(api.body());
            if (index.isPresent()) {
                return index.get();
            }
        }
        // no referrers API there (distribution 2.8 answers 404): the tag clients push when a registry has none
        String fallbackTag = digest.replace(':', '-');
        UpstreamHttp.Result tag = upstream.manifest(candidate.endpoint(), candidate.name(), fallbackTag,
                candidate.credentials());
        if (tag.status() == 404) {
            return ReferrersIndex.EMPTY;
        }
        if (UpstreamAccessRefused.isRefusal(tag.status())) {
            throw new UpstreamFailed(UpstreamAnswers.refused("upstream manifest " + candidate.name() + ":"
                    + fallbackTag + " answered " + tag.status()));
        }
        failIfError(tag.status(), "the referrers tag " + fallbackTag);
        return ReferrersIndex.parse(tag.body()).orElse(ReferrersIndex.EMPTY);
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

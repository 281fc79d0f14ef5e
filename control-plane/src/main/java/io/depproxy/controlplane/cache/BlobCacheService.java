package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CacheStatus;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamHead;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Function;

/**
 * Blob requests: a servable record (status default) is a hit with no upstream contact, whichever upstream stored it
 * (the bytes are those of the digest); anything else, a record pending destruction included, is fetched (or HEADed)
 * as a miss, from the upstream that served the image's manifest, or the first of the route that has the blob. A
 * blob the accelerator's read-ahead stored is still a miss for the first client GET of it.
 */
@ApplicationScoped
public class BlobCacheService {
    /** The {@code result} of {@code dp_cache_decisions_total} for the accelerator's read-ahead of a blob. */
    public static final String READ_AHEAD = "read_ahead";

    @Inject
    BlobRepository blobs;
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
    CacheRecordService records;

    /**
     * @param readAhead the accelerator asks on behalf of a client that has not asked yet (its blob read-ahead): the
     *                  same decision, counted as {@code read_ahead}, neither a hit nor a miss of the group, nor a read
     *                  of the blob (the client's own request is all of those)
     */
    public CacheDecision decide(RegistryRequest request, PullTarget target, boolean head, boolean readAhead) {
        String digest = request.reference();
        Optional<CachedBlob> cached = blobs.findByFileName(target.groupId(), CachedBlob.fileName(digest))
                .filter(blob -> blob.getStatus() == CacheStatus.DEFAULT);
        if (cached.isPresent()) {
            CachedBlob blob = cached.get();
            if (readAhead) {
                metrics.decision(RegistryRequest.Kind.BLOB, READ_AHEAD);
            } else {
                hits.blobRead(blob.getId());
                countClientRead(target, blob, head);
            }
            return new CacheDecision.Hit(blob.getObjectKey(), MediaTypes.OCTET_STREAM, blob.getDigest(), blob.getSize(),
                    "hit");
        }
        UpstreamRouting.Route route = routing.forBlob(request.image(), target);
        Function<UpstreamRouting.Candidate, UpstreamHead> headOf = candidate -> upstream.headBlob(
                candidate.endpoint(), candidate.name(), digest, candidate.credentials());
        if (head || !route.single()) {
            UpstreamRouting.Probe probe = answers.head(() -> routing.firstHaving(route, headOf));
            CacheDecision described = answers.describe(probe.head(), RegistryRequest.Kind.BLOB, digest);
            if (head) {
                metrics.decision(RegistryRequest.Kind.BLOB, "upstream_head");
                return described;
            }
            return fetch(probe.candidate(), target, digest, readAhead);
        }
        return fetch(route.first(), target, digest, readAhead);
    }

    /**
     * The miss of a client that took the read-ahead's download on the read-ahead's decision, without asking for the
     * blob itself ({@code ReadAheadOutcome.JOINED_ON_DECISION}): counted when the blob is stored, as its own request
     * would have been counted when decided.
     */
    public void countJoinedReadAhead(long groupId) {
        metrics.decision(RegistryRequest.Kind.BLOB, "miss");
        hits.miss(groupId);
    }

    /**
     * A client's request for a cached blob is the group's hit, unless the read-ahead stored it before this client's
     * pull asked for it: the first such GET is the miss that pull caused, whether it came before or after the
     * download ended (a HEAD leaves that to the GET).
     */
    private void countClientRead(PullTarget target, CachedBlob blob, boolean head) {
        if (!head && blob.isFetchedAhead() && records.claimFetchedAhead(blob.getId())) {
            metrics.decision(RegistryRequest.Kind.BLOB, "miss");
            hits.miss(target.groupId());
            return;
        }
        metrics.decision(RegistryRequest.Kind.BLOB, "hit");
        if (!head) {
            hits.hit(target.groupId(), blob.getSize());
        }
    }

    private CacheDecision fetch(UpstreamRouting.Candidate candidate, PullTarget target, String digest,
                                boolean readAhead) {
        HeaderMap headers = answers.authorization(candidate)
                .map(value -> HeaderMap.single("Authorization", value)).orElse(HeaderMap.empty());
        if (readAhead) {
            metrics.decision(RegistryRequest.Kind.BLOB, READ_AHEAD);
        } else {
            metrics.decision(RegistryRequest.Kind.BLOB, "miss");
            hits.miss(target.groupId());
        }
        return new CacheDecision.Fetch(candidate.endpoint().blobUrl(candidate.name(), digest), headers, digest,
                CoalesceKey.blob(target, candidate, digest), candidate.endpoint().id(), MediaTypes.OCTET_STREAM,
                AuthorizeResponse.MAX_BLOB_SIZE, candidate.endpoint().name());
    }
}

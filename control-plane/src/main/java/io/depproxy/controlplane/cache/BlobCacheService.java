package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.identity.PullTarget;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.controlplane.domain.BlobRepository;
import io.depproxy.controlplane.domain.CacheStatus;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.upstream.UpstreamClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Blob requests: a servable record (status default) is a hit with no upstream contact; anything else, a record
 * pending destruction included, is fetched (or HEADed) as a miss.
 */
@ApplicationScoped
public class BlobCacheService {
    @Inject
    BlobRepository blobs;
    @Inject
    HitRecorder hits;
    @Inject
    UpstreamClient upstream;
    @Inject
    UpstreamAnswers answers;
    @Inject
    CacheMetrics metrics;

    public CacheDecision decide(RegistryRequest request, PullTarget target, boolean head) {
        String digest = request.reference();
        Optional<CachedBlob> cached = blobs.findByFileName(target.groupId(), CachedBlob.fileName(digest))
                .filter(blob -> blob.getStatus() == CacheStatus.DEFAULT);
        if (cached.isPresent()) {
            CachedBlob blob = cached.get();
            hits.blobRead(blob.getId());
            metrics.decision(RegistryRequest.Kind.BLOB, "hit");
            if (!head) {
                hits.hit(target.groupId(), blob.getSize());
            }
            return new CacheDecision.Hit(blob.getObjectKey(), MediaTypes.OCTET_STREAM, blob.getDigest(), blob.getSize(),
                    "hit");
        }
        String name = upstream.upstreamName(request.image());
        if (head) {
            metrics.decision(RegistryRequest.Kind.BLOB, "upstream_head");
            return answers.describe(answers.head(() -> upstream.headBlob(name, digest, target.upstreamCredentials())),
                    RegistryErrorCode.BLOB_UNKNOWN, digest);
        }
        HeaderMap headers = answers.authorization(name, target.upstreamCredentials())
                .map(value -> HeaderMap.single("Authorization", value)).orElse(HeaderMap.empty());
        metrics.decision(RegistryRequest.Kind.BLOB, "miss");
        hits.miss(target.groupId());
        return new CacheDecision.Fetch(upstream.blobUrl(name, digest), headers, digest,
                "blob:" + target.groupId() + ":" + digest);
    }
}

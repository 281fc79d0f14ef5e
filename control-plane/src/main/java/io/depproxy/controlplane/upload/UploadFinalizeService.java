package io.depproxy.controlplane.upload;

import io.depproxy.controlplane.cache.BlobCacheService;
import io.depproxy.controlplane.cache.CacheMetrics;
import io.depproxy.controlplane.cache.CacheRecordService;
import io.depproxy.controlplane.cache.HitRecorder;
import io.depproxy.controlplane.cache.ManifestRecords;
import io.depproxy.controlplane.registry.GroupAccessService;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.auth.InvalidTokenException;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.depproxy.contracts.upload.UploadedFile;
import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.upstream.UpstreamCatalog;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStat;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * {@code …/upload}: trusts only the signed upload descriptor, checks the temporary object (exists, exact size) and
 * the digests, copies it to its content-addressed key and writes the record. The temporary object is deleted on
 * every outcome; on failure no record is written. A record pending destruction (or in error) is made servable again;
 * the record write holds the object's lock, so a deletion worker never removes an object a record has just been
 * made servable for. A manifest that moves a tag retires the tag's previous record, which this replica's decision
 * cache forgets at once. Counts the bytes fetched from the upstream in the group's statistics.
 */
@ApplicationScoped
public class UploadFinalizeService {
    /** What the upload route adds to the registry path (UploadConfig.Url), as signed in the descriptor. */
    static final String ROUTE_SUFFIX = "/upload";

    @Inject
    InternalRequestVerifier verifier;
    @Inject
    GroupAccessService access;
    @Inject
    ObjectStorage storage;
    @Inject
    CacheRecordService records;
    @Inject
    CacheMetrics metrics;
    @Inject
    HitRecorder counters;
    @Inject
    CleanupWorkers workers;
    @Inject
    UpstreamCatalog catalog;
    @Inject
    ManifestRecords servable;
    @Inject
    BlobCacheService blobs;

    /**
     * Headers the accelerator forwards from the upstream, and the id of the upstream the download came from (any may
     * be null); {@code readAhead}: what became of it when the accelerator's read-ahead downloaded it (who counts the
     * pull's miss).
     */
    public record UpstreamHeaders(String dockerContentDigest, String contentType, Long upstreamId,
                                  ReadAheadOutcome readAhead) {
    }

    /**
     * Stores the upload the signed descriptor in {@code form} describes. The descriptor must be unexpired and signed
     * for this very route (group, image, digest or tag); a rejection of any kind gives the blob's lease back (only if
     * this upload holds it) and answers 4xx, or 503 when object storage fails.
     */
    public void finalizeUpload(RegistryRequest request, Map<String, String> form, UpstreamHeaders upstream) {
        UploadedFile file;
        try {
            file = FinalizeForm.verify(form, verifier.jwt(), request.path() + ROUTE_SUFFIX);
        } catch (InvalidTokenException e) {
            // the unsigned remote_id only names what to clean up: its temporary object and a lease it holds
            rejected(request, form.get(FinalizeForm.FIELD + ".remote_id"));
            throw RegistryException.unauthorized("upload descriptor rejected: " + e.getMessage());
        }
        try {
            if (!ObjectKeys.UPLOAD_ID.matcher(file.remoteId()).matches()) {
                throw RegistryException.nameInvalid("invalid remote_id");
            }
            PullTarget target = access.uploadTarget(request.groupPath());
            String temporary = ObjectKeys.temporaryUpload(file.remoteId());
            ObjectStat stat = storage.stat(temporary).orElseThrow(() ->
                    new RegistryException(RegistryErrorCode.BLOB_UNKNOWN, "uploaded object not found"));
            if (stat.size() != file.size()) {
                throw new RegistryException(RegistryErrorCode.SIZE_INVALID,
                        "uploaded object has " + stat.size() + " bytes, the descriptor says " + file.size());
            }
            if (request.kind() == RegistryRequest.Kind.BLOB) {
                storeBlob(request, target, file, temporary, upstream);
            } else {
                storeManifest(request, target, file, temporary, upstream);
            }
            metrics.upload(request.kind(), "stored");
            deleteQuietly(file.remoteId());
        } catch (RuntimeException e) {
            rejected(request, file.remoteId());
            throw e instanceof StorageException ? RegistryException.unavailable("object storage failed") : e;
        }
    }

    /** A rejected store deletes its temporary object and gives up its lease, so the next pull may store the blob. */
    private void rejected(RegistryRequest request, String remoteId) {
        metrics.upload(request.kind(), "rejected");
        if (remoteId == null || !ObjectKeys.UPLOAD_ID.matcher(remoteId).matches()) {
            return;
        }
        deleteQuietly(remoteId);
        if (request.kind() == RegistryRequest.Kind.BLOB) {
            try {
                records.releaseBlobUploadQuietly(access.uploadTarget(request.groupPath()).groupId(),
                        request.reference(), remoteId);
            } catch (RuntimeException e) {
                Log.debugf("no upload lease to release for %s: %s", request.reference(), e.getMessage());
            }
        }
    }

    private void storeBlob(RegistryRequest request, PullTarget target, UploadedFile file, String temporary,
                           UpstreamHeaders upstream) {
        if (!file.digest().equals(request.reference())) {
            throw RegistryException.digestInvalid("uploaded blob hashes to " + file.digest());
        }
        if (file.size() > AuthorizeResponse.MAX_BLOB_SIZE) {
            throw new RegistryException(RegistryErrorCode.SIZE_INVALID, "blob exceeds the maximum size");
        }
        String key = ObjectKeys.blob(target.groupId(), file.digest());
        storage.copy(temporary, key);
        records.storeBlob(target.groupId(), file.digest(), file.size(), key, upstreamOf(upstream),
                upstream.readAhead() == ReadAheadOutcome.AHEAD_OF_CLIENTS, () -> ensureCopied(temporary, key));
        counters.fetched(target.groupId(), file.size());
        if (upstream.readAhead() == ReadAheadOutcome.JOINED_ON_DECISION) {
            blobs.countJoinedReadAhead(target.groupId());
        }
    }

    private void storeManifest(RegistryRequest request, PullTarget target, UploadedFile file, String temporary,
                               UpstreamHeaders upstream) {
        if (!MediaTypes.isManifestType(upstream.contentType())) {
            throw new RegistryException(RegistryErrorCode.MANIFEST_INVALID,
                    "unsupported manifest media type " + upstream.contentType());
        }
        String digest = file.digest();
        boolean upstreamDisagrees = upstream.dockerContentDigest() != null
                && !upstream.dockerContentDigest().trim().equals(digest);
        boolean requestDisagrees = Digests.isSha256(request.reference()) && !request.reference().equals(digest);
        if (upstreamDisagrees || requestDisagrees) {
            throw RegistryException.digestInvalid("uploaded manifest hashes to " + digest);
        }
        if (file.size() > AuthorizeResponse.MAX_MANIFEST_SIZE) {
            throw new RegistryException(RegistryErrorCode.SIZE_INVALID, "manifest exceeds the maximum size");
        }
        String key = ObjectKeys.manifest(target.groupId(), digest);
        storage.copy(temporary, key);
        List<Long> superseded = records.storeManifest(target.groupId(), request.image(), request.reference(),
                digest, MediaTypes.stripParameters(upstream.contentType()), file.size(), key, upstreamOf(upstream),
                () -> ensureCopied(temporary, key));
        // before the workers may delete a superseded object: this replica no longer serves its record
        servable.stored(target.groupId(), request.image(), request.reference(), superseded);
        counters.fetched(target.groupId(), file.size());
        if (!superseded.isEmpty()) {
            workers.kick();
        }
    }

    /** The upstream the download came from, if it is (still) one of ours. */
    private Long upstreamOf(UpstreamHeaders upstream) {
        return upstream.upstreamId() == null ? null
                : catalog.byId(upstream.upstreamId()).map(UpstreamEndpoint::id).orElse(null);
    }

    /** Under the object's lock: copies again if a deletion worker removed the object after the first copy. */
    private void ensureCopied(String temporary, String key) {
        if (storage.stat(key).isEmpty()) {
            storage.copy(temporary, key);
        }
    }

    private void deleteQuietly(String remoteId) {
        if (remoteId == null || !ObjectKeys.UPLOAD_ID.matcher(remoteId).matches()) {
            return;
        }
        try {
            storage.delete(ObjectKeys.temporaryUpload(remoteId));
        } catch (RuntimeException e) {
            Log.warnf("cannot delete temporary upload %s: %s", remoteId, e.getMessage());
        }
    }
}

package io.depproxy.controlplane.upload;

import io.depproxy.controlplane.cache.CacheRecordService;
import io.depproxy.controlplane.registry.GroupAccessService;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.MultipartUpload;
import io.depproxy.contracts.upload.RemoteObject;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.storage.MultipartStorage;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code …/upload/authorize}: a temporary object {@code tmp/uploads/<uuid>} with presigned PUT, GET and DELETE
 * URLs (4 h 15 min), and, when the length is unknown, a presigned multipart upload with GitLab's part math.
 */
@ApplicationScoped
public class UploadAuthorizeService {
    static final Duration URL_EXPIRY = Duration.ofHours(4).plusMinutes(15);
    static final long TIMEOUT_SECONDS = 14_400;
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final int MAX_PARTS = 100;
    /**
     * How long a store may hold a blob's lease before a store behind another replica may take it over: the upload
     * starts once the download is complete, so the lease covers the upload at no less than {@link #LEASE_RATE} bytes
     * per second plus a margin, at most {@link #MAX_LEASE} (also when the length is unknown). A store that fails gives
     * its lease back ({@link #withdraw}); this bound is for a store whose accelerator died.
     */
    static final Duration MAX_LEASE = Duration.ofMinutes(30);
    static final Duration MIN_LEASE = Duration.ofMinutes(2);
    static final long LEASE_RATE = 1024 * 1024;

    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    GroupAccessService access;
    @Inject
    ObjectStorage storage;
    @Inject
    MultipartStorage multipart;
    @Inject
    CacheRecordService records;

    /**
     * {@code uploadLength}: the upstream's Content-Length, or null when it sent none. A blob's lease is taken for the
     * new temporary object's id (its owner), and given back when the object store fails before an answer.
     */
    public AuthorizeResponse authorize(RegistryRequest request, Long uploadLength) {
        PullTarget target = access.uploadTarget(request.groupPath());
        String id = UUID.randomUUID().toString();
        boolean blob = request.kind() == RegistryRequest.Kind.BLOB;
        if (blob && !records.claimBlobUpload(target.groupId(), request.reference(),
                ObjectKeys.blob(target.groupId(), request.reference()), lease(uploadLength), id)) {
            // The accelerator then serves its client without storing: another store is under way, or it is done.
            throw new RegistryException(RegistryErrorCode.UNAVAILABLE, 409,
                    "blob is being stored through another replica or is already cached");
        }
        try {
            return new AuthorizeResponse(remoteObject(id, uploadLength, maximumSize(request.kind())),
                    maximumSize(request.kind()));
        } catch (RuntimeException e) {
            if (blob) {
                records.releaseBlobUploadQuietly(target.groupId(), request.reference(), id);
            }
            throw e; // an object-store failure is an outage: error/Outage answers it (503 UNAVAILABLE, Retry-After)
        }
    }

    /**
     * The store of {@code remoteId} gave up (its upload to object storage failed): its lease goes at once, so the next
     * miss of the blob stores it instead of waiting for the lease to run out. Only the holder's lease is released.
     */
    public void withdraw(RegistryRequest request, String remoteId) {
        if (remoteId == null || !UUID_FORM.matcher(remoteId).matches()) {
            throw new RegistryException(RegistryErrorCode.NAME_INVALID, "remote_id must be the id authorize handed out");
        }
        if (request.kind() == RegistryRequest.Kind.BLOB) {
            PullTarget target = access.uploadTarget(request.groupPath());
            records.releaseBlobUploadQuietly(target.groupId(), request.reference(), remoteId);
        }
    }

    public static Duration lease(Long uploadLength) {
        if (uploadLength == null) {
            return MAX_LEASE;
        }
        Duration upload = MIN_LEASE.plusSeconds(uploadLength / LEASE_RATE);
        return upload.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : upload;
    }

    private RemoteObject remoteObject(String id, Long uploadLength, long maximum) {
        String key = ObjectKeys.temporaryUpload(id);
        MultipartUpload parts = uploadLength == null ? multipartUpload(key, maximum) : null;
        return new RemoteObject(id, storage.presignGet(key, URL_EXPIRY), storage.presignPut(key, URL_EXPIRY),
                storage.presignDelete(key, URL_EXPIRY), TIMEOUT_SECONDS, parts);
    }

    static long maximumSize(RegistryRequest.Kind kind) {
        return kind == RegistryRequest.Kind.BLOB ? AuthorizeResponse.MAX_BLOB_SIZE : AuthorizeResponse.MAX_MANIFEST_SIZE;
    }

    /** GitLab's math: parts = min(ceil(max / 5 MiB), 100); part size = floor(max / parts) rounded up to 5 MiB. */
    static long partSize(long maximum) {
        long parts = partCount(maximum);
        long size = maximum / parts;
        return ((size + MIN_PART_SIZE - 1) / MIN_PART_SIZE) * MIN_PART_SIZE;
    }

    static int partCount(long maximum) {
        return (int) Math.min((maximum + MIN_PART_SIZE - 1) / MIN_PART_SIZE, MAX_PARTS);
    }

    private MultipartUpload multipartUpload(String key, long maximum) {
        String uploadId = multipart.createMultipart(key);
        int count = partCount(maximum);
        List<String> urls = new ArrayList<>(count);
        for (int part = 1; part <= count; part++) {
            urls.add(multipart.presignPart(key, uploadId, part, URL_EXPIRY));
        }
        return new MultipartUpload(partSize(maximum), urls, multipart.presignComplete(key, uploadId, URL_EXPIRY),
                multipart.presignAbort(key, uploadId, URL_EXPIRY));
    }
}

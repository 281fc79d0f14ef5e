package io.depproxy.controlplane.support;

import io.depproxy.controlplane.storage.MultipartStorage;
import io.depproxy.controlplane.storage.S3ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real S3 multipart calls, with one fault a test can arm: the next {@code createMultipart} fails as an
 * unreachable object store does. Passes everything through otherwise.
 */
@Alternative
@Priority(1)
@Singleton
public class FaultyMultipartStorage implements MultipartStorage {
    private final AtomicBoolean failNextCreate = new AtomicBoolean();

    @Inject
    S3ObjectStorage s3;

    public void failNextCreate() {
        failNextCreate.set(true);
    }

    @Override
    public String createMultipart(String key) {
        if (failNextCreate.compareAndSet(true, false)) {
            throw new StorageException("injected: object storage unreachable", null);
        }
        return s3.createMultipart(key);
    }

    @Override
    public String presignPart(String key, String uploadId, int partNumber, Duration expiry) {
        return s3.presignPart(key, uploadId, partNumber, expiry);
    }

    @Override
    public String presignComplete(String key, String uploadId, Duration expiry) {
        return s3.presignComplete(key, uploadId, expiry);
    }

    @Override
    public String presignAbort(String key, String uploadId, Duration expiry) {
        return s3.presignAbort(key, uploadId, expiry);
    }
}

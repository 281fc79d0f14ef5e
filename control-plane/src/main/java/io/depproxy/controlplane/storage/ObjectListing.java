package io.depproxy.controlplane.storage;

import java.time.Instant;
import java.util.function.Consumer;

/** Listing what lies under a prefix, for the sweep of temporary uploads that were never finalized. */
public interface ObjectListing {

    /** An object, or an unfinished multipart upload ({@code uploadId} set), and when it was written or started. */
    record Listed(String key, Instant lastModified, String uploadId) {
    }

    /** Every object under {@code prefix} (recursively). */
    void forEachObject(String prefix, Consumer<Listed> action);

    /** Every multipart upload under {@code prefix} that was neither completed nor aborted. */
    void forEachMultipartUpload(String prefix, Consumer<Listed> action);

    /** Aborts a multipart upload; failures are logged, never thrown. */
    void abortMultipart(String key, String uploadId);
}

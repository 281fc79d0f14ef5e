package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.contracts.upload.RemoteObject;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Copies a verified spool entry to the temporary object the control plane authorized: one PUT
 * to {@code StoreURL} when the length is known, a multipart upload otherwise.
 */
public final class ObjectStoreUploader {
    private final ObjectStoreClient store;
    private final MultipartUploader multipart;

    public ObjectStoreUploader(ObjectStoreClient store) {
        this.store = store;
        this.multipart = new MultipartUploader(store);
    }

    public Future<Void> upload(Context context, RemoteObject target, SpoolEntry entry, long maximumSize) {
        long length = entry.expectedLength();
        if (length >= 0 && target.storeUrl() != null) {
            return store.put(target.storeUrl(), entry, 0, length).mapEmpty();
        }
        if (target.multipartUpload() == null) {
            return Future.failedFuture(new UploadFailure(
                    "send-dependency: upstream sent no Content-Length and the control plane offered no multipart upload"));
        }
        return multipart.upload(context, target.multipartUpload(), entry, maximumSize);
    }

    /** Deletes the temporary object (a failed or unverified download must leave nothing behind). */
    public Future<Void> discard(RemoteObject target) {
        return target.deleteUrl() == null ? Future.succeededFuture() : store.delete(target.deleteUrl());
    }
}

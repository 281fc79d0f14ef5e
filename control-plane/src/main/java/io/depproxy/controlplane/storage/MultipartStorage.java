package io.depproxy.controlplane.storage;

import java.time.Duration;

/** Presigned multipart uploads, for bodies whose length is unknown when the upload is authorized. */
public interface MultipartStorage {

    /** Starts a multipart upload of {@code key} and returns its upload id. */
    String createMultipart(String key);

    /** A presigned {@code PUT} for part {@code partNumber} (1-based). */
    String presignPart(String key, String uploadId, int partNumber, Duration expiry);

    /** A presigned {@code POST} completing the upload (body: {@code CompleteMultipartUpload} XML). */
    String presignComplete(String key, String uploadId, Duration expiry);

    /** A presigned {@code DELETE} aborting the upload. */
    String presignAbort(String key, String uploadId, Duration expiry);
}

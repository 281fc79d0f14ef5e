package io.depproxy.controlplane.storage;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * {@link ObjectStorage} and {@link MultipartStorage} on the MinIO Java SDK. Presigned URLs are built from
 * {@code DP_S3_ENDPOINT}, so that endpoint must be reachable by the accelerator. The bucket is created at start-up.
 */
@Singleton
@Startup
public class S3ObjectStorage implements ObjectStorage, MultipartStorage, ObjectListing {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NotFound", "NoSuchObject");

    private final OkHttpClient http;
    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    private final String bucket;

    @Inject
    public S3ObjectStorage(ControlPlaneConfig config) {
        ControlPlaneConfig.S3 s3 = config.s3();
        this.bucket = s3.bucket();
        // our own HTTP client: the SDK's default one re-reads every CA file of SSL_CERT_DIR per client (seconds)
        this.http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                // inactivity bounds, not totals: a hanging store fails a request within a minute (503), while a
                // long server-side copy still succeeds (S3 keeps the connection busy while it copies)
                .readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS)
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        this.client = MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).httpClient(http, false).build();
        this.asyncClient = MinioAsyncClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).httpClient(http, false).build();
        ensureBucket();
    }

    private void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                Log.infof("created bucket %s", bucket);
            }
        } catch (Exception e) {
            throw new StorageException("cannot reach or create bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** True when the bucket answers (readiness). */
    public boolean bucketReachable() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String presignGet(String key, Duration expiry) {
        return presign(Http.Method.GET, key, expiry, Map.of());
    }

    @Override
    public String presignPut(String key, Duration expiry) {
        return presign(Http.Method.PUT, key, expiry, Map.of());
    }

    @Override
    public String presignDelete(String key, Duration expiry) {
        return presign(Http.Method.DELETE, key, expiry, Map.of());
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        try {
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectStat(key, stat.size(), stat.contentType(), stat.etag()));
        } catch (Exception e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        }
    }

    @Override
    public void copy(String sourceKey, String targetKey) {
        try {
            client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(targetKey)
                    .source(SourceObject.builder().bucket(bucket).object(sourceKey).build()).build());
        } catch (Exception e) {
            throw failure("copy", sourceKey + " -> " + targetKey, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            if (!isMissing(e)) {
                throw failure("delete", key, e);
            }
        }
    }

    @Override
    public String createMultipart(String key) {
        try {
            return asyncClient.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket).object(key)
                    .build()).get().result().uploadId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("create multipart upload", key, e);
        } catch (ExecutionException e) {
            throw failure("create multipart upload", key, e.getCause());
        }
    }

    @Override
    public String presignPart(String key, String uploadId, int partNumber, Duration expiry) {
        return presign(Http.Method.PUT, key, expiry,
                Map.of("uploadId", uploadId, "partNumber", Integer.toString(partNumber)));
    }

    @Override
    public String presignComplete(String key, String uploadId, Duration expiry) {
        return presign(Http.Method.POST, key, expiry, Map.of("uploadId", uploadId));
    }

    @Override
    public String presignAbort(String key, String uploadId, Duration expiry) {
        return presign(Http.Method.DELETE, key, expiry, Map.of("uploadId", uploadId));
    }

    @Override
    public void forEachObject(String prefix, Consumer<Listed> action) {
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    action.accept(new Listed(item.objectName(), item.lastModified().toInstant(), null));
                }
            }
        } catch (Exception e) {
            throw failure("list", prefix, e);
        }
    }

    @Override
    public void forEachMultipartUpload(String prefix, Consumer<Listed> action) {
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                ListMultipartUploadsArgs.Builder args = ListMultipartUploadsArgs.builder().bucket(bucket).prefix(prefix);
                if (keyMarker != null) {
                    args.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                }
                ListMultipartUploadsResult page = asyncClient.listMultipartUploads(args.build()).get().result();
                List<ListMultipartUploadsResult.Upload> uploads = page.uploads() == null ? List.of() : page.uploads();
                for (ListMultipartUploadsResult.Upload upload : uploads) {
                    action.accept(new Listed(upload.objectName(),
                            upload.initiated() == null ? Instant.EPOCH : upload.initiated().toInstant(),
                            upload.uploadId()));
                }
                if (!page.isTruncated() || page.nextKeyMarker() == null) {
                    return;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("list multipart uploads", prefix, e);
        } catch (ExecutionException e) {
            throw failure("list multipart uploads", prefix, e.getCause());
        }
    }

    /** Aborts a multipart upload directly (cleanup when an authorize cannot be answered, or a stale upload). */
    @Override
    public void abortMultipart(String key, String uploadId) {
        try {
            asyncClient.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key)
                    .uploadId(uploadId).build()).get();
        } catch (Exception e) {
            Log.warnf("cannot abort multipart upload of %s: %s", key, e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> read(String key, int maxBytes) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new StorageException("object " + key + " holds more than " + maxBytes + " bytes", null);
            }
            return Optional.of(bytes);
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        }
    }

    private String presign(Http.Method method, String key, Duration expiry, Map<String, String> query) {
        try {
            GetPresignedObjectUrlArgs.Builder args = GetPresignedObjectUrlArgs.builder().method(method)
                    .bucket(bucket).object(key).expiry((int) expiry.toSeconds());
            if (!query.isEmpty()) {
                args.extraQueryParams(query);
            }
            return client.getPresignedObjectUrl(args.build());
        } catch (Exception e) {
            throw failure("presign " + method, key, e);
        }
    }

    private static boolean isMissing(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ErrorResponseException error) {
                return MISSING.contains(error.errorResponse().code())
                        || (error.response() != null && error.response().code() == 404);
            }
        }
        return false;
    }

    private static StorageException failure(String operation, String key, Throwable e) {
        return new StorageException("object storage " + operation + " of " + key + " failed: " + e.getMessage(), e);
    }

    @PreDestroy
    void close() {
        try {
            client.close();
        } catch (Exception e) {
            Log.debugf("closing the S3 client: %s", e.getMessage());
        }
        asyncClient.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}

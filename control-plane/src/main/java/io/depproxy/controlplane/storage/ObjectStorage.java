package io.depproxy.controlplane.storage;

import java.time.Duration;
import java.util.Optional;

/** Objects in the one bucket of the dependency proxy; presigned URLs are what the accelerator uses. */
public interface ObjectStorage {

    String presignGet(String key, Duration expiry);

    String presignPut(String key, Duration expiry);

    String presignDelete(String key, Duration expiry);

    /**
     * The bytes of a small object, or empty when it does not exist; a {@link StorageException} when it holds more
     * than {@code maxBytes} or cannot be read.
     */
    Optional<byte[]> read(String key, int maxBytes);

    /** Size and type of {@code key}, or empty when it does not exist. */
    Optional<ObjectStat> stat(String key);

    /** Server-side copy within the bucket. */
    void copy(String sourceKey, String targetKey);

    /** Deletes {@code key}; a missing object is not an error. */
    void delete(String key);
}

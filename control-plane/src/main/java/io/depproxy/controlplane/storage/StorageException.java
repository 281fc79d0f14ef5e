package io.depproxy.controlplane.storage;

/** Object storage failed or could not be reached. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

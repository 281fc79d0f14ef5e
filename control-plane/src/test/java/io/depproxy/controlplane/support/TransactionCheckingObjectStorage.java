package io.depproxy.controlplane.support;

import io.depproxy.controlplane.storage.ObjectStat;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.S3ObjectStorage;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real S3 object calls, noting every one made while a database transaction is open on the calling thread (a
 * slow or hanging object store must never hold a transaction, its locks and a connection).
 */
@Alternative
@Priority(1)
@Singleton
public class TransactionCheckingObjectStorage implements ObjectStorage {
    private final List<String> insideTransactions = new CopyOnWriteArrayList<>();

    @Inject
    S3ObjectStorage s3;
    @Inject
    TransactionManager transactions;

    /** The calls made inside a transaction since the test started, as {@code <operation> <key>}. */
    public List<String> callsInsideTransactions() {
        return List.copyOf(insideTransactions);
    }

    private void check(String operation, String key) {
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                insideTransactions.add(operation + " " + key);
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String presignGet(String key, Duration expiry) {
        check("presignGet", key);
        return s3.presignGet(key, expiry);
    }

    @Override
    public String presignPut(String key, Duration expiry) {
        check("presignPut", key);
        return s3.presignPut(key, expiry);
    }

    @Override
    public String presignDelete(String key, Duration expiry) {
        check("presignDelete", key);
        return s3.presignDelete(key, expiry);
    }

    @Override
    public Optional<byte[]> read(String key, int maxBytes) {
        check("read", key);
        return s3.read(key, maxBytes);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        check("stat", key);
        return s3.stat(key);
    }

    @Override
    public void copy(String sourceKey, String targetKey) {
        check("copy", targetKey);
        s3.copy(sourceKey, targetKey);
    }

    @Override
    public void delete(String key) {
        check("delete", key);
        s3.delete(key);
    }
}

package io.depproxy.controlplane.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The lock on an object key that keeps a deletion worker from removing an object a finalize is making servable: a
 * PostgreSQL session-level advisory lock, held shared by finalize while it checks and writes the object and its
 * record, exclusively by a worker while it decides to delete the object and does. Being session-level, it needs no
 * open transaction: object-store calls run while it is held, and the SQL around them runs in short transactions of
 * its own. Each holder keeps one pooled connection, so at most {@value #MAX_HOLDERS} hold locks at once (fewer than
 * the pool, so their own transactions always find a connection).
 */
@ApplicationScoped
public class ObjectLocks {
    static final int MAX_HOLDERS = 8;

    @Inject
    AgroalDataSource dataSource;

    private final Semaphore holders = new Semaphore(MAX_HOLDERS, true);

    /** Runs {@code work} holding {@code objectKey}'s lock shared; waits while a worker holds it. */
    public <T> T withShared(String objectKey, Supplier<T> work) {
        holders.acquireUninterruptibly();
        try (Connection connection = dataSource.getConnection()) {
            query(connection, "SELECT pg_advisory_lock_shared(hashtextextended(?, 0))", objectKey);
            try {
                return work.get();
            } finally {
                query(connection, "SELECT pg_advisory_unlock_shared(hashtextextended(?, 0))", objectKey);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("object lock on " + objectKey + " failed: " + e.getMessage(), e);
        } finally {
            holders.release();
        }
    }

    /** Runs {@code work} holding {@code objectKey}'s lock exclusively, if nobody holds it; false when it did not run. */
    public boolean tryExclusive(String objectKey, Runnable work) {
        holders.acquireUninterruptibly();
        try (Connection connection = dataSource.getConnection()) {
            if (!query(connection, "SELECT pg_try_advisory_lock(hashtextextended(?, 0))", objectKey)) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                query(connection, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", objectKey);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("object lock on " + objectKey + " failed: " + e.getMessage(), e);
        } finally {
            holders.release();
        }
    }

    private static boolean query(Connection connection, String sql, String objectKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, objectKey);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                Object value = result.getObject(1);
                return !(value instanceof Boolean b) || b;
            }
        }
    }
}

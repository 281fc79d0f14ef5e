package io.depproxy.controlplane.error;

import io.depproxy.controlplane.storage.StorageException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which backend a failure says is unreachable: object storage (any {@link StorageException}: the MinIO SDK's and
 * OkHttp's I/O failures are wrapped in it) or the database (a JDBC connection failure, SQLState class 08 or 57P0x,
 * Hibernate's {@code JDBCConnectionException}, or the pool's acquisition timeout). The cause chain is searched
 * because Hibernate, Narayana and Panache wrap what the driver threw.
 */
public enum Outage {
    OBJECT_STORAGE("object storage is unavailable"),
    DATABASE("the database is unavailable");

    private static final String HIBERNATE_CONNECTION_FAILURE = "org.hibernate.exception.JDBCConnectionException";

    private final String message;

    Outage(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    public static Optional<Outage> of(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof StorageException) {
                return Optional.of(OBJECT_STORAGE);
            }
            if (isDatabaseConnectionFailure(t)) {
                return Optional.of(DATABASE);
            }
        }
        return Optional.empty();
    }

    private static boolean isDatabaseConnectionFailure(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t.getClass().getName().equals(HIBERNATE_CONNECTION_FAILURE)) {
            return true;
        }
        if (!(t instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
            return true;
        }
        String text = sql.getMessage();
        return text != null && text.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}

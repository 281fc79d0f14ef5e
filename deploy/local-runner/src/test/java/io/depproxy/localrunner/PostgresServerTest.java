package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void ephemeralServerAnswersSelectOne() throws SQLException {
        int port;
        try (PostgresServer postgres = PostgresServer.startEphemeral();
             Connection connection = connect(postgres);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
            assertThat(postgres.username()).isEqualTo("postgres");
            port = postgres.port();
        }
        assertThat(FreePorts.answers(port)).as("stopped on close").isFalse();
    }

    @Test
    void embeddedServerListensOnLoopbackOnly(@TempDir Path dir) {
        try (PostgresServer postgres = PostgresServer.startEmbedded(dir.resolve("pg"), 0, true, true, dir.resolve("pg.log"))) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres");
            assertThat(FreePorts.answers(postgres.port())).isTrue();
        }
        assertThat(dir.resolve("pg.log")).content().contains("listening on IPv4 address \"127.0.0.1\"");
    }

    @Test
    void persistentServerKeepsDataAcrossRestart(@TempDir Path dir) throws SQLException {
        Path data = dir.resolve("postgres");
        try (PostgresServer postgres = PostgresServer.startPersistent(data);
             Connection connection = connect(postgres);
             Statement statement = connection.createStatement()) {
            statement.execute("create table kept (value text)");
            statement.execute("insert into kept values ('survives a restart')");
        }
        int fixedPort = FreePorts.pick();
        try (PostgresServer postgres = PostgresServer.startPersistent(data, fixedPort);
             Connection connection = connect(postgres);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select value from kept")) {
            assertThat(postgres.port()).isEqualTo(fixedPort);
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("survives a restart");
        }
    }

    private static Connection connect(PostgresServer postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}

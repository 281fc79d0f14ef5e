package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {
    /** The defaults docs/configuration.md gives for make run; nothing here binds a port (the runner tests that start servers use free ones). */
    private static final int DOCUMENTED_HTTP_PORT = 8080;
    private static final int DOCUMENTED_CONTROL_PLANE_PORT = 8081;
    private static final Path WORK = Path.of("/srv/checkout");

    @Test
    void defaultsAreTheEmbeddedSetup() {
        RunnerSettings settings = RunnerSettings.resolve(new String[0], Map.of(), new Properties(), WORK);
        assertThat(settings.dataDir()).isEqualTo(WORK.resolve(".dp-data"));
        assertThat(settings.controlPlaneJar()).isEqualTo(WORK.resolve("control-plane/target/quarkus-app/quarkus-run.jar"));
        assertThat(settings.acceleratorJar()).isEqualTo(WORK.resolve("accelerator/target/accelerator.jar"));
        assertThat(settings.httpPort()).isEqualTo(DOCUMENTED_HTTP_PORT);
        assertThat(settings.controlPlanePort()).isEqualTo(DOCUMENTED_CONTROL_PLANE_PORT);
        assertThat(settings.controlPlaneUrl()).isEqualTo("http://127.0.0.1:" + DOCUMENTED_CONTROL_PLANE_PORT);
        assertThat(settings.externalUrl()).isEqualTo("http://localhost:" + DOCUMENTED_HTTP_PORT);
        assertThat(settings.acceleratorUrl()).isEqualTo("http://127.0.0.1:" + DOCUMENTED_HTTP_PORT);
        assertThat(settings.spoolDir()).isEqualTo(WORK.resolve(".dp-data/spool"));
        assertThat(settings.bucket()).isEqualTo("dependency-proxy");
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.embeddedDatabase()).isTrue();
        assertThat(settings.embeddedStorage()).isTrue();
        assertThat(settings.registryHost()).isEqualTo("localhost:" + DOCUMENTED_HTTP_PORT);
    }

    @Test
    void environmentOverridesDefaults() {
        RunnerSettings settings = RunnerSettings.resolve(new String[0], Map.of(
                "DP_DATA_DIR", "/var/dp", "DP_HTTP_PORT", "9090", "DP_CONTROL_PLANE_PORT", "9091",
                "DP_EXTERNAL_URL", "https://proxy.example.com/", "DP_DB_URL", "jdbc:postgresql://db/dp",
                "DP_S3_ENDPOINT", "https://s3.example.com", "DP_S3_BUCKET", "cache", "DP_SPOOL_DIR", "spool"),
                new Properties(), WORK);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/dp"));
        assertThat(settings.controlPlaneUrl()).isEqualTo("http://127.0.0.1:9091");
        assertThat(settings.externalUrl()).isEqualTo("https://proxy.example.com");
        assertThat(settings.registryHost()).isEqualTo("proxy.example.com");
        assertThat(settings.spoolDir()).isEqualTo(WORK.resolve("spool"));
        assertThat(settings.bucket()).isEqualTo("cache");
        assertThat(settings.embeddedDatabase()).isFalse();
        assertThat(settings.embeddedStorage()).isFalse();
    }

    @Test
    void jarsComeFromArgumentsThenSystemProperties() {
        Properties system = new Properties();
        system.setProperty("dp.controlPlaneJar", "/opt/cp.jar");
        system.setProperty("dp.acceleratorJar", "/opt/accel.jar");
        RunnerSettings fromProperties = RunnerSettings.resolve(new String[0], Map.of(), system, WORK);
        assertThat(fromProperties.controlPlaneJar()).isEqualTo(Path.of("/opt/cp.jar"));
        assertThat(fromProperties.acceleratorJar()).isEqualTo(Path.of("/opt/accel.jar"));

        RunnerSettings fromArgs = RunnerSettings.resolve(
                new String[] {"--accelerator-jar", "a.jar", "--control-plane-jar", "c.jar"}, Map.of(), system, WORK);
        assertThat(fromArgs.controlPlaneJar()).isEqualTo(WORK.resolve("c.jar"));
        assertThat(fromArgs.acceleratorJar()).isEqualTo(WORK.resolve("a.jar"));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> RunnerSettings.resolve(new String[] {"--verbose"}, Map.of(), new Properties(), WORK))
                .hasMessageContaining("usage: local-runner");
        assertThatThrownBy(() -> RunnerSettings.resolve(new String[0], Map.of("DP_HTTP_PORT", "http"),
                new Properties(), WORK)).hasMessageContaining("DP_HTTP_PORT must be a TCP port");
    }
}

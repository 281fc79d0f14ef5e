package io.depproxy.accelerator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.Golden;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.outbound.Origin;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    private static final String SECRET = Golden.read("internal-secret.txt");

    @Test
    void appliesTheDocumentedDefaults() {
        AcceleratorConfig config = ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET));

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.controlPlaneUrl()).hasToString("http://127.0.0.1:8081");
        assertThat(config.spoolDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "dp-spool"));
        assertThat(config.spoolMaxBytes()).isEqualTo(10L << 30);
        assertThat(config.uploadGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.upstreamHeaderTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.upstreamStallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.clientStallTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.internalSecret()).isEqualTo(Golden.secret());
        assertThat(config.edge()).isEqualTo(new EdgeSettings(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(180), 256, 256));
    }

    @Test
    void readsEveryVariable(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("DP_HTTP_PORT", "0");
        env.put("DP_HTTP_HOST", "127.0.0.1");
        env.put("DP_CONTROL_PLANE_URL", "https://cp.internal:9443/");
        env.put("DP_INTERNAL_SECRET_FILE", secretFile.toString());
        env.put("DP_SPOOL_DIR", dir.toString());
        env.put("DP_SPOOL_MAX_BYTES", "512MiB");
        env.put("DP_UPLOAD_GRACE", "2m");
        env.put("DP_UPSTREAM_CONNECT_TIMEOUT", "500ms");
        env.put("DP_UPSTREAM_HEADER_TIMEOUT", "45s");
        env.put("DP_SHUTDOWN_GRACE", "110s");
        env.put("DP_UPSTREAM_STALL_TIMEOUT", "15s");
        env.put("DP_CLIENT_STALL_TIMEOUT", "5m");
        env.put("DP_HEADER_TIMEOUT", "75s");
        env.put("DP_REQUEST_BODY_TIMEOUT", "1500ms");
        env.put("DP_IDLE_TIMEOUT", "10m");
        env.put("DP_MAX_CONNECTIONS_PER_CLIENT", "0");
        env.put("DP_BACKEND_MAX_WAITERS", "16");

        AcceleratorConfig config = ConfigLoader.load(env);

        assertThat(config.httpPort()).isZero();
        assertThat(config.controlPlaneSsl()).isTrue();
        assertThat(config.resolveOnControlPlane("/v2/x/upload")).isEqualTo("https://cp.internal:9443/v2/x/upload");
        assertThat(config.internalSecret()).isEqualTo(Golden.secret());
        assertThat(config.spoolMaxBytes()).isEqualTo(512L << 20);
        assertThat(config.uploadGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.upstreamConnectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.upstreamHeaderTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.upstreamStallTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.clientStallTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(110));
        assertThat(config.edge()).isEqualTo(new EdgeSettings(Duration.ofSeconds(75), Duration.ofMillis(1500),
                Duration.ofMinutes(10), 0, 16));
        assertThat(config.edge().limitsConnectionsPerClient()).isFalse();
    }

    static Stream<Case> invalidEdgeLimits() {
        return Stream.of(
                new Case("header timeout without unit", "DP_HEADER_TIMEOUT", "30"),
                new Case("zero body timeout", "DP_REQUEST_BODY_TIMEOUT", "0s"),
                new Case("idle timeout not a duration", "DP_IDLE_TIMEOUT", "long"),
                new Case("negative connections per client", "DP_MAX_CONNECTIONS_PER_CLIENT", "-1"),
                new Case("waiters not a number", "DP_BACKEND_MAX_WAITERS", "many"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEdgeLimits")
    void rejectsInvalidEdgeLimitsNamingTheVariable(Case invalid) {
        Map<String, String> env = new HashMap<>(Map.of("DP_INTERNAL_SECRET", SECRET));
        env.put(invalid.variable(), invalid.value());

        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(invalid.variable());
    }

    static Stream<Case> idleTimeoutsThatWouldCutAWait() {
        return Stream.of(
                new Case("not above the control plane's answer time", "DP_IDLE_TIMEOUT", "120s"),
                new Case("not above a client stall being timed", "DP_CLIENT_STALL_TIMEOUT", "150s"),
                new Case("not above an upstream stall being timed", "DP_UPSTREAM_STALL_TIMEOUT", "160s"),
                new Case("not above an upstream's head", "DP_UPSTREAM_HEADER_TIMEOUT", "200s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idleTimeoutsThatWouldCutAWait")
    void refusesAnIdleTimeoutThatWouldCutAConnectionWaitingOnTheAccelerator(Case wait) {
        Map<String, String> env = new HashMap<>(Map.of("DP_INTERNAL_SECRET", SECRET));
        env.put(wait.variable(), wait.value());

        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DP_IDLE_TIMEOUT (").hasMessageContaining("must be longer than");
    }

    @Test
    void readsTheOutboundAllowListAndTheObjectStoresAddress() throws Exception {
        AcceleratorConfig config = ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET,
                "DP_OUTBOUND_ALLOW", "registry.internal:5000, 10.0.0.0/8",
                "DP_S3_ENDPOINT", "http://minio.storage.svc:9000"));

        assertThat(config.outbound().objectStoreEndpoint()).hasToString("http://minio.storage.svc:9000");
        assertThat(config.outbound().allow().allows(Origin.of("http://registry.internal:5000"),
                InetAddress.getByName("192.0.2.1"))).isTrue();
        assertThat(config.outbound().allow().allows(Origin.of("http://x.example"),
                InetAddress.getByName("10.1.1.1"))).isTrue();
        assertThat(ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET)).outbound()).isEqualTo(OutboundSettings.NONE);
    }

    @Test
    void peerSharingIsOffByDefaultAndNeedsAnAdvertisedUrlWhenOn() {
        assertThat(ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET)).peers()).isEqualTo(PeerSettings.OFF);
        AcceleratorConfig on = ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET, "DP_PEER_PORT", "8090",
                "DP_PEER_ADVERTISE_URL", "http://10.1.2.3:8090"));
        assertThat(on.peers().enabled()).isTrue();
        assertThat(on.peers().port()).isEqualTo(8090);
        assertThat(on.peers().advertiseUrl()).isEqualTo("http://10.1.2.3:8090");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET, "DP_PEER_PORT", "8090")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DP_PEER_ADVERTISE_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET, "DP_PEER_PORT", "8090",
                "DP_PEER_ADVERTISE_URL", "http://10.1.2.3:8090/path?x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DP_PEER_ADVERTISE_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("DP_INTERNAL_SECRET", SECRET, "DP_PEER_PORT", "70000",
                "DP_PEER_ADVERTISE_URL", "http://10.1.2.3:8090")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DP_PEER_PORT");
    }

    @Test
    void refusesToStartWithoutASecret() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of()))
                .hasMessageContaining("DP_INTERNAL_SECRET");
    }

    @Test
    void generatesASecretInDevMode() {
        AcceleratorConfig config = ConfigLoader.load(Map.of("DP_DEV_MODE", "true"));

        assertThat(config.devMode()).isTrue();
        assertThat(config.internalSecret()).isInstanceOf(InternalSecret.class);
    }

    record Case(String name, String variable, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("port out of range", "DP_HTTP_PORT", "70000"),
                new Case("port not a number", "DP_HTTP_PORT", "http"),
                new Case("duration without unit", "DP_UPLOAD_GRACE", "60"),
                new Case("zero duration", "DP_UPSTREAM_CONNECT_TIMEOUT", "0s"),
                new Case("shutdown grace without unit", "DP_SHUTDOWN_GRACE", "30"),
                new Case("size with unknown unit", "DP_SPOOL_MAX_BYTES", "10 parsecs"),
                new Case("relative control plane url", "DP_CONTROL_PLANE_URL", "control-plane:8081"),
                new Case("secret too short", "DP_INTERNAL_SECRET", "c2hvcnQ="),
                new Case("unknown log format", "DP_LOG_FORMAT", "xml"),
                new Case("an allow-list entry that is a URL", "DP_OUTBOUND_ALLOW", "http://registry.internal"),
                new Case("an allow-list block without a prefix", "DP_OUTBOUND_ALLOW", "10.0.0.0/"),
                new Case("an object store endpoint without a host", "DP_S3_ENDPOINT", "minio:9000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidValuesNamingTheVariable(Case invalid) {
        Map<String, String> env = new HashMap<>(Map.of("DP_INTERNAL_SECRET", SECRET));
        env.put(invalid.variable(), invalid.value());

        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accelerator configuration");
    }

    @Test
    void parsesSizesWithBinaryUnits() {
        assertThat(ConfigLoader.parseSize("X", "1048576")).isEqualTo(1L << 20);
        assertThat(ConfigLoader.parseSize("X", "10GiB")).isEqualTo(10L << 30);
        assertThat(ConfigLoader.parseSize("X", "10G")).isEqualTo(10L << 30);
        assertThat(ConfigLoader.parseSize("X", "64k")).isEqualTo(64L << 10);
    }
}

package io.depproxy.accelerator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.Golden;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration is built by name: a setting left out is named, and "the same with…" keeps every other value. */
class AcceleratorConfigTest {

    @Test
    void aSettingLeftOutIsNamed() {
        AcceleratorConfig.Builder withoutShutdownGrace = complete().shutdownGrace(null);

        assertThatThrownBy(withoutShutdownGrace::build).hasMessageContaining("shutdownGrace");
        assertThatThrownBy(() -> complete().spoolDir(null).build()).hasMessageContaining("spoolDir");
    }

    @Test
    void theSameWithOneChangeKeepsEveryOtherValue() {
        AcceleratorConfig base = complete().build();

        AcceleratorConfig smallSpool = base.toBuilder().spoolMaxBytes(1024).build();

        assertThat(smallSpool.spoolMaxBytes()).isEqualTo(1024);
        assertThat(smallSpool).usingRecursiveComparison().ignoringFields("spoolMaxBytes").isEqualTo(base);
    }

    @Test
    void peersOutboundAndEdgeAreOffOrDefaultUnlessGiven() {
        AcceleratorConfig config = complete().build();

        assertThat(config.peers()).isEqualTo(PeerSettings.OFF);
        assertThat(config.outbound()).isEqualTo(OutboundSettings.NONE);
        assertThat(config.edge()).isEqualTo(EdgeSettings.defaults());
        assertThat(config.devMode()).isFalse();
    }

    private static AcceleratorConfig.Builder complete() {
        Path spool = Path.of("spool");
        return AcceleratorConfig.builder().httpHost("127.0.0.1").httpPort(0)
                .controlPlaneUrl(URI.create("http://127.0.0.1:8081")).internalSecret(Golden.secret())
                .spoolDir(spool).spoolMaxBytes(1L << 20).uploadGrace(Duration.ofSeconds(5))
                .upstreamConnectTimeout(Duration.ofSeconds(2)).upstreamHeaderTimeout(Duration.ofSeconds(2))
                .shutdownGrace(Duration.ofSeconds(5)).hotCacheDir(spool.resolve("hot")).hotCacheMaxBytes(0)
                .upstreamStallTimeout(Duration.ofSeconds(10)).clientStallTimeout(Duration.ofSeconds(10));
    }
}

package io.depproxy.accelerator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.accelerator.support.TestConfig;
import java.net.URI;
import java.nio.file.Path;
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
        return TestConfig.loopback(URI.create("http://127.0.0.1:8081"), Path.of("spool"));
    }
}

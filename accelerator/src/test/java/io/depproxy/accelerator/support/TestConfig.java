package io.depproxy.accelerator.support;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.contracts.Golden;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration the tests start accelerators with: loopback, any free port, the golden internal secret, a 1 GiB
 * spool in {@code spoolDir}, no hot tier, and short timeouts. A test changes what it is about with the builder's
 * named setters.
 */
public final class TestConfig {
    private TestConfig() {
    }

    public static AcceleratorConfig.Builder loopback(URI controlPlane, Path spoolDir) {
        return AcceleratorConfig.builder().httpHost("127.0.0.1").httpPort(0)
                .controlPlaneUrl(controlPlane).internalSecret(Golden.secret())
                .spoolDir(spoolDir).spoolMaxBytes(1L << 30).uploadGrace(Duration.ofSeconds(5))
                .upstreamConnectTimeout(Duration.ofSeconds(2)).upstreamHeaderTimeout(Duration.ofSeconds(2))
                .shutdownGrace(Duration.ofSeconds(5))
                .hotCacheDir(spoolDir.resolve("hot")).hotCacheMaxBytes(0)
                .upstreamStallTimeout(Duration.ofSeconds(10)).clientStallTimeout(Duration.ofSeconds(10));
    }
}

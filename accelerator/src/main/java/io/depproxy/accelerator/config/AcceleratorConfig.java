package io.depproxy.accelerator.config;

import io.depproxy.contracts.auth.InternalSecret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Everything the accelerator is configured with, read once at start-up (see {@link ConfigLoader}). */
public record AcceleratorConfig(
        String httpHost,
        int httpPort,
        URI controlPlaneUrl,
        InternalSecret internalSecret,
        boolean devMode,
        Path spoolDir,
        long spoolMaxBytes,
        Duration uploadGrace,
        Duration upstreamConnectTimeout,
        Duration upstreamHeaderTimeout,
        Duration shutdownGrace,
        Path hotCacheDir,
        long hotCacheMaxBytes,
        Duration upstreamStallTimeout,
        Duration clientStallTimeout,
        OutboundSettings outbound,
        EdgeSettings edge,
        PeerSettings peers) {

    public AcceleratorConfig {
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
        Objects.requireNonNull(internalSecret, "internalSecret");
        Objects.requireNonNull(spoolDir, "spoolDir");
        requirePositive("uploadGrace", uploadGrace);
        requirePositive("upstreamConnectTimeout", upstreamConnectTimeout);
        requirePositive("upstreamHeaderTimeout", upstreamHeaderTimeout);
        requirePositive("shutdownGrace", shutdownGrace);
        requirePositive("upstreamStallTimeout", upstreamStallTimeout);
        requirePositive("clientStallTimeout", clientStallTimeout);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort must be 0..65535, was " + httpPort);
        }
        Objects.requireNonNull(hotCacheDir, "hotCacheDir");
        if (hotCacheMaxBytes < 0) {
            throw new IllegalArgumentException("hotCacheMaxBytes must not be negative");
        }
        if (spoolMaxBytes < 0) {
            throw new IllegalArgumentException("spoolMaxBytes must not be negative");
        }
        String scheme = controlPlaneUrl.getScheme();
        if (controlPlaneUrl.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw new IllegalArgumentException("controlPlaneUrl must be an absolute http(s) URL, was " + controlPlaneUrl);
        }
    }

    /** As the canonical constructor, without peer sharing ({@link PeerSettings#OFF}). */
    public AcceleratorConfig(String httpHost, int httpPort, URI controlPlaneUrl, InternalSecret internalSecret,
                             boolean devMode, Path spoolDir, long spoolMaxBytes, Duration uploadGrace,
                             Duration upstreamConnectTimeout, Duration upstreamHeaderTimeout, Duration shutdownGrace,
                             Path hotCacheDir, long hotCacheMaxBytes, Duration upstreamStallTimeout,
                             Duration clientStallTimeout, OutboundSettings outbound, EdgeSettings edge) {
        this(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir, spoolMaxBytes, uploadGrace,
                upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir, hotCacheMaxBytes,
                upstreamStallTimeout, clientStallTimeout, outbound, edge, PeerSettings.OFF);
    }

    /** The same with another peer listener and advertised URL. */
    public AcceleratorConfig withPeers(PeerSettings settings) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir,
                spoolMaxBytes, uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir,
                hotCacheMaxBytes, upstreamStallTimeout, clientStallTimeout, outbound, edge, settings);
    }

    /**
     * As the canonical constructor, without outbound settings (no allow-list, no object store endpoint known) and with
     * the default {@link EdgeSettings}.
     */
    public AcceleratorConfig(String httpHost, int httpPort, URI controlPlaneUrl, InternalSecret internalSecret,
                             boolean devMode, Path spoolDir, long spoolMaxBytes, Duration uploadGrace,
                             Duration upstreamConnectTimeout, Duration upstreamHeaderTimeout, Duration shutdownGrace,
                             Path hotCacheDir, long hotCacheMaxBytes, Duration upstreamStallTimeout,
                             Duration clientStallTimeout) {
        this(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir, spoolMaxBytes, uploadGrace,
                upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir, hotCacheMaxBytes,
                upstreamStallTimeout, clientStallTimeout, OutboundSettings.NONE, EdgeSettings.defaults());
    }

    public AcceleratorConfig withSpoolMaxBytes(long maxBytes) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir, maxBytes,
                uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir,
                hotCacheMaxBytes, upstreamStallTimeout, clientStallTimeout, outbound, edge, peers);
    }

    /** The same with a hot tier of {@code maxBytes} (0: none) in {@code directory}. */
    public AcceleratorConfig withHotCache(Path directory, long maxBytes) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir,
                spoolMaxBytes, uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, directory,
                maxBytes, upstreamStallTimeout, clientStallTimeout, outbound, edge, peers);
    }

    /** The same with other bounds on a silent upstream mid-body and on a client that stops reading. */
    public AcceleratorConfig withStallTimeouts(Duration upstream, Duration client) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir,
                spoolMaxBytes, uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir,
                hotCacheMaxBytes, upstream, client, outbound, edge, peers);
    }

    /** The same with another outbound allow-list and object store endpoint. */
    public AcceleratorConfig withOutbound(OutboundSettings settings) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir, spoolMaxBytes,
                uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir,
                hotCacheMaxBytes, upstreamStallTimeout, clientStallTimeout, settings, edge, peers);
    }

    /** The same with other limits on what one client may hold of the public port. */
    public AcceleratorConfig withEdge(EdgeSettings settings) {
        return new AcceleratorConfig(httpHost, httpPort, controlPlaneUrl, internalSecret, devMode, spoolDir,
                spoolMaxBytes, uploadGrace, upstreamConnectTimeout, upstreamHeaderTimeout, shutdownGrace, hotCacheDir,
                hotCacheMaxBytes, upstreamStallTimeout, clientStallTimeout, outbound, settings, peers);
    }

    public boolean controlPlaneSsl() {
        return "https".equals(controlPlaneUrl.getScheme());
    }

    public int controlPlanePort() {
        int port = controlPlaneUrl.getPort();
        return port > 0 ? port : controlPlaneSsl() ? 443 : 80;
    }

    /** An absolute URL for a control-plane request-URI ({@code /v2/…}), or {@code urlOrPath} when already absolute. */
    public String resolveOnControlPlane(String urlOrPath) {
        if (!urlOrPath.startsWith("/")) {
            return urlOrPath;
        }
        return controlPlaneUrl.getScheme() + "://" + controlPlaneUrl.getHost() + ":" + controlPlanePort() + urlOrPath;
    }

    private static void requirePositive(String name, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}

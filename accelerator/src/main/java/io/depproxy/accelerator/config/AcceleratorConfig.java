package io.depproxy.accelerator.config;

import io.depproxy.contracts.auth.InternalSecret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the accelerator is configured with, read once at start-up (see {@link ConfigLoader}). Built by name,
 * never by position ({@link #builder()}, or {@link #toBuilder()} for "the same with…"): eighteen settings, many of
 * them durations, are too easy to swap in a positional call. Every value is checked when it is built.
 */
public final class AcceleratorConfig {
    private final String httpHost;
    private final int httpPort;
    private final URI controlPlaneUrl;
    private final InternalSecret internalSecret;
    private final boolean devMode;
    /** {@code DP_READ_AHEAD_MAX_BYTES}'s default: 2 GiB, more than most images' layers together. */
    public static final long DEFAULT_READ_AHEAD_MAX_BYTES = 2L << 30;

    private final Path spoolDir;
    private final long spoolMaxBytes;
    private final Duration uploadGrace;
    private final Duration upstreamConnectTimeout;
    private final Duration upstreamHeaderTimeout;
    private final Duration shutdownGrace;
    private final Path hotCacheDir;
    private final long hotCacheMaxBytes;
    private final long readAheadMaxBytes;
    private final Duration upstreamStallTimeout;
    private final Duration clientStallTimeout;
    private final OutboundSettings outbound;
    private final EdgeSettings edge;
    private final PeerSettings peers;

    private AcceleratorConfig(Builder builder) {
        peers = Objects.requireNonNull(builder.peers, "peers");
        outbound = Objects.requireNonNull(builder.outbound, "outbound");
        edge = Objects.requireNonNull(builder.edge, "edge");
        httpHost = Objects.requireNonNull(builder.httpHost, "httpHost");
        controlPlaneUrl = Objects.requireNonNull(builder.controlPlaneUrl, "controlPlaneUrl");
        internalSecret = Objects.requireNonNull(builder.internalSecret, "internalSecret");
        spoolDir = Objects.requireNonNull(builder.spoolDir, "spoolDir");
        uploadGrace = requirePositive("uploadGrace", builder.uploadGrace);
        upstreamConnectTimeout = requirePositive("upstreamConnectTimeout", builder.upstreamConnectTimeout);
        upstreamHeaderTimeout = requirePositive("upstreamHeaderTimeout", builder.upstreamHeaderTimeout);
        shutdownGrace = requirePositive("shutdownGrace", builder.shutdownGrace);
        upstreamStallTimeout = requirePositive("upstreamStallTimeout", builder.upstreamStallTimeout);
        clientStallTimeout = requirePositive("clientStallTimeout", builder.clientStallTimeout);
        httpPort = Objects.requireNonNull(builder.httpPort, "httpPort");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort must be 0..65535, was " + httpPort);
        }
        hotCacheDir = Objects.requireNonNull(builder.hotCacheDir, "hotCacheDir");
        hotCacheMaxBytes = Objects.requireNonNull(builder.hotCacheMaxBytes, "hotCacheMaxBytes");
        if (hotCacheMaxBytes < 0) {
            throw new IllegalArgumentException("hotCacheMaxBytes must not be negative");
        }
        readAheadMaxBytes = builder.readAheadMaxBytes;
        if (readAheadMaxBytes < 0) {
            throw new IllegalArgumentException("readAheadMaxBytes must not be negative");
        }
        spoolMaxBytes = Objects.requireNonNull(builder.spoolMaxBytes, "spoolMaxBytes");
        if (spoolMaxBytes < 0) {
            throw new IllegalArgumentException("spoolMaxBytes must not be negative");
        }
        String scheme = controlPlaneUrl.getScheme();
        if (controlPlaneUrl.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw new IllegalArgumentException("controlPlaneUrl must be an absolute http(s) URL, was " + controlPlaneUrl);
        }
        devMode = builder.devMode;
    }

    /**
     * A configuration to fill in by name. Without a call, there is no dev mode, no outbound allow-list nor object
     * store endpoint ({@link OutboundSettings#NONE}), the default edge limits ({@link EdgeSettings#defaults()}) and
     * no peer sharing ({@link PeerSettings#OFF}); every other setting must be given.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to build the same with a few of them changed. */
    public Builder toBuilder() {
        return builder().httpHost(httpHost).httpPort(httpPort).controlPlaneUrl(controlPlaneUrl)
                .internalSecret(internalSecret).devMode(devMode).spoolDir(spoolDir).spoolMaxBytes(spoolMaxBytes)
                .uploadGrace(uploadGrace).upstreamConnectTimeout(upstreamConnectTimeout)
                .upstreamHeaderTimeout(upstreamHeaderTimeout).shutdownGrace(shutdownGrace).hotCacheDir(hotCacheDir)
                .hotCacheMaxBytes(hotCacheMaxBytes).readAheadMaxBytes(readAheadMaxBytes)
                .upstreamStallTimeout(upstreamStallTimeout)
                .clientStallTimeout(clientStallTimeout).outbound(outbound).edge(edge).peers(peers);
    }

    /** The address the public port binds ({@code DP_HTTP_HOST}). */
    public String httpHost() {
        return httpHost;
    }

    /** The public port ({@code DP_HTTP_PORT}; 0: any free port). */
    public int httpPort() {
        return httpPort;
    }

    public URI controlPlaneUrl() {
        return controlPlaneUrl;
    }

    public InternalSecret internalSecret() {
        return internalSecret;
    }

    public boolean devMode() {
        return devMode;
    }

    public Path spoolDir() {
        return spoolDir;
    }

    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    /** How long a download may take to be stored once it arrived, and how long one nobody reads is kept going. */
    public Duration uploadGrace() {
        return uploadGrace;
    }

    public Duration upstreamConnectTimeout() {
        return upstreamConnectTimeout;
    }

    public Duration upstreamHeaderTimeout() {
        return upstreamHeaderTimeout;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public Path hotCacheDir() {
        return hotCacheDir;
    }

    /** The hot tier's size; 0: no hot tier. */
    public long hotCacheMaxBytes() {
        return hotCacheMaxBytes;
    }

    /**
     * The most bytes of one image's blobs fetched ahead of its client once its manifest was downloaded
     * ({@code DP_READ_AHEAD_MAX_BYTES}); 0: no read-ahead.
     */
    public long readAheadMaxBytes() {
        return readAheadMaxBytes;
    }

    /** How long an upstream may stay silent in the middle of a body. */
    public Duration upstreamStallTimeout() {
        return upstreamStallTimeout;
    }

    /** How long a client may stop reading before it is dropped. */
    public Duration clientStallTimeout() {
        return clientStallTimeout;
    }

    public OutboundSettings outbound() {
        return outbound;
    }

    public EdgeSettings edge() {
        return edge;
    }

    public PeerSettings peers() {
        return peers;
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

    private static Duration requirePositive(String name, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
        return duration;
    }

    /** Collects the settings by name; {@link #build()} checks them all. */
    public static final class Builder {
        private String httpHost;
        private Integer httpPort;
        private URI controlPlaneUrl;
        private InternalSecret internalSecret;
        private boolean devMode;
        private Path spoolDir;
        private Long spoolMaxBytes;
        private Duration uploadGrace;
        private Duration upstreamConnectTimeout;
        private Duration upstreamHeaderTimeout;
        private Duration shutdownGrace;
        private Path hotCacheDir;
        private Long hotCacheMaxBytes;
        private long readAheadMaxBytes = DEFAULT_READ_AHEAD_MAX_BYTES;
        private Duration upstreamStallTimeout;
        private Duration clientStallTimeout;
        private OutboundSettings outbound = OutboundSettings.NONE;
        private EdgeSettings edge = EdgeSettings.defaults();
        private PeerSettings peers = PeerSettings.OFF;

        private Builder() {
        }

        public Builder httpHost(String value) {
            httpHost = value;
            return this;
        }

        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        public Builder controlPlaneUrl(URI value) {
            controlPlaneUrl = value;
            return this;
        }

        public Builder internalSecret(InternalSecret value) {
            internalSecret = value;
            return this;
        }

        public Builder devMode(boolean value) {
            devMode = value;
            return this;
        }

        public Builder spoolDir(Path value) {
            spoolDir = value;
            return this;
        }

        public Builder spoolMaxBytes(long value) {
            spoolMaxBytes = value;
            return this;
        }

        public Builder uploadGrace(Duration value) {
            uploadGrace = value;
            return this;
        }

        public Builder upstreamConnectTimeout(Duration value) {
            upstreamConnectTimeout = value;
            return this;
        }

        public Builder upstreamHeaderTimeout(Duration value) {
            upstreamHeaderTimeout = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        public Builder hotCacheDir(Path value) {
            hotCacheDir = value;
            return this;
        }

        public Builder hotCacheMaxBytes(long value) {
            hotCacheMaxBytes = value;
            return this;
        }

        public Builder readAheadMaxBytes(long value) {
            readAheadMaxBytes = value;
            return this;
        }

        public Builder upstreamStallTimeout(Duration value) {
            upstreamStallTimeout = value;
            return this;
        }

        public Builder clientStallTimeout(Duration value) {
            clientStallTimeout = value;
            return this;
        }

        public Builder outbound(OutboundSettings value) {
            outbound = value;
            return this;
        }

        public Builder edge(EdgeSettings value) {
            edge = value;
            return this;
        }

        public Builder peers(PeerSettings value) {
            peers = value;
            return this;
        }

        public AcceleratorConfig build() {
            return new AcceleratorConfig(this);
        }
    }
}

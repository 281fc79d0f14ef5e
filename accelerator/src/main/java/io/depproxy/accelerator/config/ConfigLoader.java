package io.depproxy.accelerator.config;

import io.depproxy.accelerator.logging.LogFormat;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.outbound.AllowList;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@link AcceleratorConfig} from environment variables and fails fast on anything invalid. */
public final class ConfigLoader {
    public static final String HTTP_PORT = "DP_HTTP_PORT";
    public static final String HTTP_HOST = "DP_HTTP_HOST";
    public static final String CONTROL_PLANE_URL = "DP_CONTROL_PLANE_URL";
    public static final String INTERNAL_SECRET = "DP_INTERNAL_SECRET";
    public static final String INTERNAL_SECRET_FILE = "DP_INTERNAL_SECRET_FILE";
    public static final String DEV_MODE = "DP_DEV_MODE";
    public static final String SPOOL_DIR = "DP_SPOOL_DIR";
    public static final String SPOOL_MAX_BYTES = "DP_SPOOL_MAX_BYTES";
    public static final String UPLOAD_GRACE = "DP_UPLOAD_GRACE";
    public static final String UPSTREAM_CONNECT_TIMEOUT = "DP_UPSTREAM_CONNECT_TIMEOUT";
    public static final String UPSTREAM_HEADER_TIMEOUT = "DP_UPSTREAM_HEADER_TIMEOUT";
    public static final String SHUTDOWN_GRACE = "DP_SHUTDOWN_GRACE";
    public static final String HOT_CACHE_DIR = "DP_HOT_CACHE_DIR";
    public static final String HOT_CACHE_MAX_BYTES = "DP_HOT_CACHE_MAX_BYTES";
    public static final String READ_AHEAD_MAX_BYTES = "DP_READ_AHEAD_MAX_BYTES";
    public static final String UPSTREAM_STALL_TIMEOUT = "DP_UPSTREAM_STALL_TIMEOUT";
    public static final String CLIENT_STALL_TIMEOUT = "DP_CLIENT_STALL_TIMEOUT";
    public static final String OUTBOUND_ALLOW = AllowList.SETTING;
    /** The object store's endpoint, shared with the control plane: only its address is read, never credentials. */
    public static final String S3_ENDPOINT = "DP_S3_ENDPOINT";
    public static final String HEADER_TIMEOUT = "DP_HEADER_TIMEOUT";
    public static final String REQUEST_BODY_TIMEOUT = "DP_REQUEST_BODY_TIMEOUT";
    public static final String IDLE_TIMEOUT = "DP_IDLE_TIMEOUT";
    public static final String MAX_CONNECTIONS_PER_CLIENT = "DP_MAX_CONNECTIONS_PER_CLIENT";
    public static final String BACKEND_MAX_WAITERS = "DP_BACKEND_MAX_WAITERS";
    public static final String PEER_PORT = "DP_PEER_PORT";
    public static final String PEER_ADVERTISE_URL = "DP_PEER_ADVERTISE_URL";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> env;

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static AcceleratorConfig fromEnvironment() {
        return load(System.getenv());
    }

    /** @throws IllegalArgumentException naming the variable that is wrong */
    public static AcceleratorConfig load(Map<String, String> env) {
        return new ConfigLoader(env).read();
    }

    private AcceleratorConfig read() {
        boolean devMode = Boolean.parseBoolean(value(DEV_MODE, "false"));
        try {
            LogFormat.parse(env.get(LogFormat.VARIABLE)); // used by logging, which starts first; refused here
            Path spoolDir = Path.of(value(SPOOL_DIR, Path.of(System.getProperty("java.io.tmpdir"), "dp-spool").toString()));
            AcceleratorConfig config = AcceleratorConfig.builder()
                    .httpHost(value(HTTP_HOST, "0.0.0.0"))
                    .httpPort(port(value(HTTP_PORT, "8080")))
                    .controlPlaneUrl(url(value(CONTROL_PLANE_URL, "http://127.0.0.1:8081")))
                    .internalSecret(secret(devMode))
                    .devMode(devMode)
                    .spoolDir(spoolDir)
                    .spoolMaxBytes(parseSize(SPOOL_MAX_BYTES, value(SPOOL_MAX_BYTES, "10GiB")))
                    .uploadGrace(parseDuration(UPLOAD_GRACE, value(UPLOAD_GRACE, "60s")))
                    .upstreamConnectTimeout(parseDuration(UPSTREAM_CONNECT_TIMEOUT,
                            value(UPSTREAM_CONNECT_TIMEOUT, "10s")))
                    .upstreamHeaderTimeout(parseDuration(UPSTREAM_HEADER_TIMEOUT,
                            value(UPSTREAM_HEADER_TIMEOUT, "30s")))
                    .shutdownGrace(parseDuration(SHUTDOWN_GRACE, value(SHUTDOWN_GRACE, "30s")))
                    .hotCacheDir(Path.of(value(HOT_CACHE_DIR, spoolDir.resolve("hot").toString())))
                    .hotCacheMaxBytes(parseSize(HOT_CACHE_MAX_BYTES, value(HOT_CACHE_MAX_BYTES, "10GiB")))
                    .readAheadMaxBytes(parseSize(READ_AHEAD_MAX_BYTES, value(READ_AHEAD_MAX_BYTES, "2GiB")))
                    .upstreamStallTimeout(parseDuration(UPSTREAM_STALL_TIMEOUT, value(UPSTREAM_STALL_TIMEOUT, "30s")))
                    .clientStallTimeout(parseDuration(CLIENT_STALL_TIMEOUT, value(CLIENT_STALL_TIMEOUT, "120s")))
                    .outbound(outbound())
                    .edge(edge())
                    .peers(peers())
                    .build();
            requireIdleAboveEveryWait(config);
            return config;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("accelerator configuration: " + e.getMessage(), e);
        }
    }

    private PeerSettings peers() {
        int port = count(PEER_PORT, value(PEER_PORT, "0"));
        return new PeerSettings(port, env.get(PEER_ADVERTISE_URL));
    }

    private EdgeSettings edge() {
        return new EdgeSettings(
                parseDuration(HEADER_TIMEOUT, value(HEADER_TIMEOUT, "30s")),
                parseDuration(REQUEST_BODY_TIMEOUT, value(REQUEST_BODY_TIMEOUT, "30s")),
                parseDuration(IDLE_TIMEOUT, value(IDLE_TIMEOUT, "180s")),
                count(MAX_CONNECTIONS_PER_CLIENT, value(MAX_CONNECTIONS_PER_CLIENT,
                        Integer.toString(EdgeSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT))),
                count(BACKEND_MAX_WAITERS, value(BACKEND_MAX_WAITERS,
                        Integer.toString(EdgeSettings.DEFAULT_BACKEND_MAX_WAITERS))));
    }

    /**
     * A connection is silent both ways while the accelerator waits on its own side: the control plane's answer, an
     * upstream's head or its next bytes, a client's stall being timed. The idle timeout must not cut those short
     * (stall checks fire up to a quarter late).
     */
    private static void requireIdleAboveEveryWait(AcceleratorConfig config) {
        Duration idle = config.edge().idleTimeout();
        Map<String, Duration> waits = Map.of(
                "the control plane's answer time", EdgeSettings.CONTROL_PLANE_ANSWER_TIMEOUT,
                UPSTREAM_HEADER_TIMEOUT, config.upstreamHeaderTimeout(),
                UPSTREAM_STALL_TIMEOUT + " + 25%", withQuarter(config.upstreamStallTimeout()),
                CLIENT_STALL_TIMEOUT + " + 25%", withQuarter(config.clientStallTimeout()));
        waits.forEach((name, wait) -> {
            if (idle.compareTo(wait) <= 0) {
                throw new IllegalArgumentException(IDLE_TIMEOUT + " (" + describe(idle) + ") must be longer than "
                        + name + " (" + describe(wait) + "), or it would cut connections waiting on the accelerator");
            }
        });
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static Duration withQuarter(Duration duration) {
        return duration.plus(duration.dividedBy(4));
    }

    private static int count(String name, String value) {
        try {
            int count = Integer.parseInt(value);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number 0 or more, was " + value);
        }
    }

    private String value(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private OutboundSettings outbound() {
        String endpoint = env.get(S3_ENDPOINT);
        URI objectStore = null;
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                objectStore = new URI(endpoint.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(S3_ENDPOINT + " is not a URL: " + endpoint);
            }
            if (objectStore.getHost() == null) {
                throw new IllegalArgumentException(S3_ENDPOINT + " must be an absolute http(s) URL, was " + endpoint);
            }
        }
        return new OutboundSettings(AllowList.parse(env.get(OUTBOUND_ALLOW)), objectStore);
    }

    private InternalSecret secret(boolean devMode) {
        InternalSecret secret = InternalSecret.fromConfig(env.get(INTERNAL_SECRET), env.get(INTERNAL_SECRET_FILE));
        if (secret != null) {
            return secret;
        }
        if (!devMode) {
            throw new IllegalArgumentException(INTERNAL_SECRET + " or " + INTERNAL_SECRET_FILE + " is required (or set "
                    + DEV_MODE + "=true)");
        }
        LOG.warn("{} is not set: generated a random internal secret because {}=true; the control plane will reject "
                + "internal calls unless it shares this secret", INTERNAL_SECRET, DEV_MODE);
        return InternalSecret.fromBase64(InternalSecret.generateBase64());
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HTTP_PORT + " must be a port number 0..65535, was " + value);
        }
    }

    private static URI url(String value) {
        try {
            return new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(CONTROL_PLANE_URL + " is not a URL: " + value);
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    public static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration like 10s, 500ms, 2m or 1h, was " + value);
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return duration;
    }

    /** Plain bytes or a binary unit: {@code 1048576}, {@code 512MiB}, {@code 10GiB}, {@code 10G}. */
    public static long parseSize(String name, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a size like 10GiB, 512MiB or 1048576, was " + value);
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(name + " is too large: " + value);
        }
    }
}

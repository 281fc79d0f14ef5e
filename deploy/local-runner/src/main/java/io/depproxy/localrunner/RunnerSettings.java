package io.depproxy.localrunner;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What {@code make run} was asked for: the DP_* environment (docs/configuration.md) with the embedded defaults
 * filled in, plus where the two service artifacts are. Built once at start-up; no I/O.
 */
public record RunnerSettings(
        Map<String, String> env,
        Path dataDir,
        Path controlPlaneJar,
        Path acceleratorJar,
        int httpPort,
        int controlPlanePort,
        String controlPlaneUrl,
        String externalUrl,
        Path spoolDir,
        String bucket,
        String region) {

    static final String DEFAULT_CONTROL_PLANE_JAR = "control-plane/target/quarkus-app/quarkus-run.jar";
    static final String DEFAULT_ACCELERATOR_JAR = "accelerator/target/accelerator.jar";

    public RunnerSettings {
        env = Map.copyOf(env);
    }

    /**
     * Reads {@code --control-plane-jar P --accelerator-jar P} (first), then the system properties
     * {@code dp.controlPlaneJar} / {@code dp.acceleratorJar}, then the defaults relative to {@code workDir}.
     */
    public static RunnerSettings resolve(String[] args, Map<String, String> env, Properties system, Path workDir) {
        Map<String, String> options = Cli.parse(args);
        Path dataDir = workDir.resolve(env.getOrDefault("DP_DATA_DIR", ".dp-data")).toAbsolutePath().normalize();
        Path controlPlaneJar = workDir.resolve(options.getOrDefault("control-plane-jar",
                system.getProperty("dp.controlPlaneJar", DEFAULT_CONTROL_PLANE_JAR))).toAbsolutePath().normalize();
        Path acceleratorJar = workDir.resolve(options.getOrDefault("accelerator-jar",
                system.getProperty("dp.acceleratorJar", DEFAULT_ACCELERATOR_JAR))).toAbsolutePath().normalize();
        int httpPort = port(env, "DP_HTTP_PORT", 8080);
        int controlPlanePort = port(env, "DP_CONTROL_PLANE_PORT", 8081);
        String controlPlaneUrl = trimSlash(env.getOrDefault("DP_CONTROL_PLANE_URL", "http://127.0.0.1:" + controlPlanePort));
        String externalUrl = trimSlash(env.getOrDefault("DP_EXTERNAL_URL", "http://localhost:" + httpPort));
        Path spoolDir = workDir.resolve(env.getOrDefault("DP_SPOOL_DIR", dataDir.resolve("spool").toString()))
                .toAbsolutePath().normalize();
        return new RunnerSettings(env, dataDir, controlPlaneJar, acceleratorJar, httpPort, controlPlanePort,
                controlPlaneUrl, externalUrl, spoolDir, env.getOrDefault("DP_S3_BUCKET", "dependency-proxy"),
                env.getOrDefault("DP_S3_REGION", S3Server.REGION));
    }

    /** Whether the runner starts its own PostgreSQL (DP_DB_URL unset). */
    public boolean embeddedDatabase() {
        return blank("DP_DB_URL");
    }

    /** Whether the runner starts its own S3 server (DP_S3_ENDPOINT unset). */
    public boolean embeddedStorage() {
        return blank("DP_S3_ENDPOINT");
    }

    /** Where the accelerator's readiness probe answers. */
    public String acceleratorUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** {@code localhost:8080} from {@code http://localhost:8080/}: what goes in front of image names. */
    public String registryHost() {
        String host = externalUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    /** Without the environment: it holds secrets. */
    @Override
    public String toString() {
        return "RunnerSettings[dataDir=" + dataDir + ", controlPlaneJar=" + controlPlaneJar + ", acceleratorJar="
                + acceleratorJar + ", externalUrl=" + externalUrl + ", controlPlaneUrl=" + controlPlaneUrl + "]";
    }

    boolean blank(String name) {
        String value = env.get(name);
        return value == null || value.isBlank();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a TCP port, not '" + value + "'", e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code --name value} pairs; anything else is an error. */
    static final class Cli {
        private static final Set<String> OPTIONS = Set.of("control-plane-jar", "accelerator-jar");

        private Cli() {
        }

        static Map<String, String> parse(String[] args) {
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i].startsWith("--") ? args[i].substring(2) : "";
                if (!OPTIONS.contains(name) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: local-runner [--control-plane-jar PATH] "
                            + "[--accelerator-jar PATH]; unexpected '" + args[i] + "'");
                }
                options.put(name, args[++i]);
            }
            return options;
        }
    }
}

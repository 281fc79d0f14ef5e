package io.depproxy.controlplane.support;

import io.depproxy.localrunner.ChildProcess;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.ReadinessProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged control plane ({@code target/quarkus-app/quarkus-run.jar}, system property {@code dp.control-plane.jar})
 * as a child process (the local runner's {@link ChildProcess}) on a free loopback port, configured only through DP_*
 * environment variables. Its output goes to {@code target/it-logs/<name>.log}.
 */
public final class ControlPlaneProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildProcess process;
    private final String baseUrl;

    private ControlPlaneProcess(ChildProcess process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    public static ControlPlaneProcess start(String name, Map<String, String> dpEnvironment) {
        Path jar = Path.of(System.getProperty("dp.control-plane.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the control plane first");
        }
        int port = FreePorts.pick();
        Path log;
        try {
            log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the log of " + name, e);
        }
        String baseUrl = "http://127.0.0.1:" + port;
        ChildProcess process = ChildProcess.java(name, List.of("-Xmx256m"), jar, List.of())
                .removeEnvironment(key -> key.startsWith("DP_") || key.startsWith("QUARKUS_"))
                .environment(dpEnvironment)
                .environment(Map.of("DP_CONTROL_PLANE_PORT", Integer.toString(port), "QUARKUS_HTTP_HOST", "127.0.0.1"))
                .logTo(log)
                .start();
        ControlPlaneProcess started = new ControlPlaneProcess(process, baseUrl);
        try {
            process.awaitReady(ReadinessProbe.healthReady(baseUrl), READY);
        } catch (IllegalStateException notReady) {
            started.close();
            throw notReady;
        }
        return started;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The value of a Prometheus counter with exactly these labels, 0 when it was never incremented. */
    public double counter(String metric, String labels) {
        String body = get("/-/metrics").body();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels) + "[^}]*\\} ([0-9.eE+-]+)$")
                .matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.stop(STOP_GRACE);
        }
    }
}

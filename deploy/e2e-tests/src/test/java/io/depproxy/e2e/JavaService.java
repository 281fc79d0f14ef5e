package io.depproxy.e2e;

import io.depproxy.localrunner.ChildProcess;
import io.depproxy.localrunner.ReadinessProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One packaged service ({@code java -jar}) started by the local runner's {@link ChildProcess} with exactly the given
 * environment, its output in a log file, on a loopback port the caller picked; what a test asks of it (its URL, a
 * GET, its log). Stopping it sends SIGTERM, like Kubernetes.
 */
final class JavaService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY = Duration.ofSeconds(180);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");

    private final String url;
    private final ChildProcess process;

    private JavaService(String url, ChildProcess process) {
        this.url = url;
        this.process = process;
    }

    /** Starts the jar named by the system property {@code jarProperty}; it is reachable at {@code url}. */
    static JavaService start(String name, String jarProperty, Map<String, String> env, String url, Path log) {
        ChildProcess process = ChildProcess.java(name, JVM_OPTIONS, Artifacts.required(jarProperty), List.of())
                .clearEnvironment()
                .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                        "HOME", System.getProperty("user.home")))
                .environment(env)
                .logTo(log)
                .start();
        return new JavaService(url, process);
    }

    /** A packaged control plane on {@code DP_CONTROL_PLANE_PORT} of {@code env}, once it is ready. */
    static JavaService startControlPlane(String name, Map<String, String> env, Path log) {
        return start(name, "dp.controlPlaneJar", env, "http://127.0.0.1:" + env.get("DP_CONTROL_PLANE_PORT"), log)
                .awaitReady(READY);
    }

    /** A packaged accelerator on {@code DP_HTTP_PORT} of {@code env}, once it is ready. */
    static JavaService startAccelerator(String name, Map<String, String> env, Path log) {
        return start(name, "dp.acceleratorJar", env, "http://127.0.0.1:" + env.get("DP_HTTP_PORT"), log)
                .awaitReady(READY);
    }

    /** Waits until {@code /-/health/ready} answers 200; fails with the service's output if it exits first. */
    JavaService awaitReady(Duration timeout) {
        process.awaitReady(ReadinessProbe.healthReady(url), timeout);
        return this;
    }

    String url() {
        return url;
    }

    String hostPort() {
        return URI.create(url).getAuthority();
    }

    String log() {
        return process.log();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(process.name() + " GET " + path + ": " + response.statusCode());
        }
        return response.body();
    }

    /** SIGTERM, then up to {@code grace} to exit; answers the exit code (SIGKILL and -1 when it did not exit). */
    int stop(Duration grace) {
        return process.stop(grace);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no graceful close, in-flight work simply stops. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}

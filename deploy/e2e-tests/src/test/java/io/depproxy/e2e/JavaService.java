package io.depproxy.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service ({@code java -jar}) as a child process with exactly the given environment, its output in a
 * log file, on a loopback port the caller picked. Stopping it sends SIGTERM, like Kubernetes.
 */
final class JavaService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");

    private final String name;
    private final String url;
    private final Path log;
    private final Process process;

    private JavaService(String name, String url, Path log, Process process) {
        this.name = name;
        this.url = url;
        this.log = log;
        this.process = process;
    }

    /** Starts the jar named by the system property {@code jarProperty}; it is reachable at {@code url}. */
    static JavaService start(String name, String jarProperty, Map<String, String> env, String url, Path log)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", requiredJar(jarProperty).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("user.home"));
        builder.environment().putAll(env);
        return new JavaService(name, url, log, builder.start());
    }

    /** Waits until {@code /-/health/ready} answers 200; fails with the service's output if it exits first. */
    JavaService awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited " + process.exitValue() + ":\n" + log());
            }
            if (ready()) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " not ready in " + timeout.toSeconds() + " s:\n" + log());
    }

    String url() {
        return url;
    }

    String hostPort() {
        return URI.create(url).getAuthority();
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(name + " GET " + path + ": " + response.statusCode());
        }
        return response.body();
    }

    /** SIGTERM, then up to {@code grace} to exit; answers the exit code (SIGKILL and -1 when it did not exit). */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no graceful close, in-flight work simply stops. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private boolean ready() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/-/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static Path requiredJar(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new AssertionError(property + " does not name a built artifact: " + value);
        }
        return Path.of(value);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }
}

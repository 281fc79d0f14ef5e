package io.depproxy.e2e;

import io.depproxy.localrunner.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole product as a newcomer runs it: {@code java -jar local-runner.jar} (what {@code make run} starts) with
 * embedded PostgreSQL and S3 under a temporary DP_DATA_DIR, both services as child processes, on free ports.
 */
final class ProxyStack implements AutoCloseable {
    static final String ADMIN_TOKEN = "dpat-e2e-admin-token-0123456789abcdef";
    private final Path dataDir;
    private final int httpPort = FreePorts.pick();
    private final int controlPlanePort = FreePorts.pick();
    private final Map<String, String> extraEnv;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process runner;

    ProxyStack(Path dataDir, Map<String, String> extraEnv) {
        this.dataDir = dataDir;
        this.extraEnv = extraEnv;
    }

    void start() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-jar", requiredFile("dp.localRunnerJar").toString(),
                "--control-plane-jar", requiredFile("dp.controlPlaneJar").toString(),
                "--accelerator-jar", requiredFile("dp.acceleratorJar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logPath().toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DP_"));
        env.put("DP_DATA_DIR", dataDir.toString());
        env.put("DP_HTTP_PORT", Integer.toString(httpPort));
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("DP_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("DP_S3PROXY_JAR", System.getProperty("dp.s3proxy.jar", ""));
        env.putAll(extraEnv);
        int logOffset = log().length();
        runner = builder.start();
        awaitReady(Duration.ofSeconds(180), logOffset);
    }

    void stop() throws InterruptedException {
        if (runner != null) {
            runner.destroy();
            if (!runner.waitFor(60, TimeUnit.SECONDS)) {
                runner.destroyForcibly().waitFor();
            }
            runner = null;
        }
    }

    String hostPort() {
        return "127.0.0.1:" + httpPort;
    }

    String url() {
        return "http://" + hostPort();
    }

    /** The control plane's own port (internal routes such as /-/metrics; never for clients). */
    int controlPlanePort() {
        return controlPlanePort;
    }

    String log() throws IOException {
        return Files.exists(logPath()) ? Files.readString(logPath(), StandardCharsets.UTF_8) : "";
    }

    /** Creates a group through the admin API and returns its id. */
    long createGroup(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v4/groups"))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + path + "&path=" + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new AssertionError("creating group " + path + ": " + response.statusCode() + " " + response.body());
        }
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        if (!id.find()) {
            throw new AssertionError("no id in " + response.body());
        }
        return Long.parseLong(id.group(1));
    }

    /** Calls the admin API with a JSON body (or none) as the bootstrap admin; fails unless the status is 2xx. */
    JsonNode admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v4" + path))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isBlank() ? null : JSON.readTree(response.body());
    }

    /** The object files S3Proxy keeps for this bucket prefix (its filesystem store is one file per object). */
    List<Path> storedObjects(String prefix) throws IOException {
        Path root = dataDir.resolve("s3/data/dependency-proxy").resolve(prefix);
        return filesUnder(root);
    }

    static List<Path> filesUnder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The runner prints its banner (with the admin token) once both services answer their readiness probes. */
    private void awaitReady(Duration timeout, int logOffset) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!runner.isAlive()) {
                throw new AssertionError("local runner exited " + runner.exitValue() + ":\n" + log());
            }
            if (log().substring(logOffset).contains("Admin token:")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("stack not ready in " + timeout.toSeconds() + " s:\n" + log());
    }

    private Path logPath() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-runner.log");
    }

    private static Path requiredFile(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new AssertionError(property + " does not name a built artifact: " + value);
        }
        return Path.of(value);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

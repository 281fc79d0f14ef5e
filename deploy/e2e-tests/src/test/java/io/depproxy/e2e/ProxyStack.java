package io.depproxy.e2e;

import static org.awaitility.Awaitility.await;

import io.depproxy.localrunner.ChildProcess;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.ReadinessProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole product as a newcomer runs it: {@code java -jar local-runner.jar} (what {@code make run} starts) with
 * embedded PostgreSQL and S3 under a temporary DP_DATA_DIR, both services as child processes, on free ports.
 */
final class ProxyStack implements AutoCloseable {
    static final String ADMIN_TOKEN = "dpat-e2e-admin-token-0123456789abcdef";
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private final Path dataDir;
    private final int httpPort = FreePorts.pick();
    private final int controlPlanePort = FreePorts.pick();
    private final Map<String, String> extraEnv;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AdminApi api = new AdminApi(url(), ADMIN_TOKEN);
    private ChildProcess runner;

    ProxyStack(Path dataDir, Map<String, String> extraEnv) {
        this.dataDir = dataDir;
        this.extraEnv = extraEnv;
    }

    void start() {
        int logOffset = log().length();
        runner = ChildProcess.java("local runner", List.of(), Artifacts.required("dp.localRunnerJar"), List.of(
                        "--control-plane-jar", Artifacts.required("dp.controlPlaneJar").toString(),
                        "--accelerator-jar", Artifacts.required("dp.acceleratorJar").toString()))
                .removeEnvironment(name -> name.startsWith("DP_"))
                .environment(Map.of(
                        "DP_DATA_DIR", dataDir.toString(),
                        "DP_HTTP_PORT", Integer.toString(httpPort),
                        "DP_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort),
                        "DP_ADMIN_TOKEN", ADMIN_TOKEN,
                        "DP_S3PROXY_JAR", System.getProperty("dp.s3proxy.jar", "")))
                .environment(extraEnv)
                .logTo(logPath())
                .start();
        // the runner prints its banner (with the admin token) once both services answer their readiness probes
        runner.awaitReady(ReadinessProbe.logContains(logPath(), logOffset, "Admin token:"), READY);
    }

    void stop() {
        if (runner != null) {
            runner.stop(STOP_GRACE);
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

    String log() {
        try {
            return Files.exists(logPath()) ? Files.readString(logPath(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A series of the accelerator's {@code /-/metrics} (name and labels as exported); 0 when it is not there. */
    double acceleratorMetric(String series) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /-/metrics: " + response.statusCode());
        }
        return PrometheusText.find(response.body(), series).orElse(0);
    }

    /** Creates a group through the admin API and returns its id. */
    long createGroup(String path) throws IOException, InterruptedException {
        return api.createGroup(path);
    }

    /** Calls the admin API with a JSON body (or none) as the bootstrap admin; fails unless the status is 2xx. */
    JsonNode admin(String method, String path, String json) throws IOException, InterruptedException {
        return api.call(method, path, json);
    }

    /** Adds an upstream to the instance's catalogue ({@code name}, {@code url}, credentials...); answers its id. */
    long addUpstream(Map<String, String> fields) throws IOException, InterruptedException {
        return admin("POST", "/dependency_proxy/upstreams", JSON.writeValueAsString(fields)).get("id").asLong();
    }

    /** Sets the upstreams {@code group} resolves through, in this order. */
    void listUpstreams(long group, List<Long> upstreamIds) throws IOException, InterruptedException {
        admin("PUT", "/groups/" + group + "/dependency_proxy/upstreams",
                JSON.writeValueAsString(Map.of("upstream_ids", upstreamIds)));
    }

    /** A new deploy token of {@code group} (its path) with read_registry, as {@code username:token}. */
    String deployToken(String group) throws IOException, InterruptedException {
        JsonNode created = admin("POST", "/groups/" + group + "/deploy_tokens",
                "{\"name\":\"ci-" + System.nanoTime() + "\",\"scopes\":[\"read_registry\"]}");
        return created.get("username").asText() + ":" + created.get("token").asText();
    }

    /** Waits until the prefetch job {@code jobId} of {@code group} has finished; answers its last state. */
    JsonNode awaitPrefetchFinished(long group, long jobId) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> admin("GET", "/groups/" + group + "/dependency_proxy/prefetch/" + jobId, null),
                job -> !job.get("finished_at").isNull());
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

    private Path logPath() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-runner.log");
    }

    @Override
    public void close() {
        stop();
    }
}

package io.depproxy.e2e;

import io.depproxy.localrunner.ChildProcess;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.ReadinessProbe;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.regex.Pattern;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) on a free loopback port; anonymous, with HTTP
 * Basic auth from an htpasswd (bcrypt) file, or with token auth.
 */
final class UpstreamRegistry implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dir;
    private final int port;
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private ChildProcess process;

    UpstreamRegistry(Path dir) throws IOException {
        this(dir, List.of());
    }

    private UpstreamRegistry(Path dir, List<String> extraConfig) throws IOException {
        this.dir = dir;
        this.port = FreePorts.pick();
        Files.createDirectories(dir.resolve("storage"));
        List<String> config = new ArrayList<>(List.of(
                "version: 0.1",
                "log:",
                "  level: info",
                "  accesslog:",
                "    disabled: false",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: e2e-secret"));
        config.addAll(extraConfig); // after the http block: an auth section, or more http keys
        config.add("");
        Files.writeString(dir.resolve("config.yml"), String.join("\n", config));
    }

    /** A registry that wants Bearer tokens of {@code tokens} (Docker Hub's scheme). */
    static UpstreamRegistry withTokenAuth(Path dir, UpstreamTokenServer tokens) throws IOException {
        return new UpstreamRegistry(dir, List.of(
                "auth:",
                "  token:",
                "    realm: " + tokens.realm(),
                "    service: " + UpstreamTokenServer.SERVICE,
                "    issuer: " + UpstreamTokenServer.ISSUER,
                "    rootcertbundle: " + tokens.certificateFile()));
    }

    /** A registry that wants HTTP Basic {@code username}/{@code password} for everything (htpasswd, bcrypt). */
    static UpstreamRegistry withBasicAuth(Path dir, String username, String password)
            throws IOException, InterruptedException {
        ExternalCommand.requireOnPath("htpasswd");
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, ExternalCommand.succeed(List.of("htpasswd", "-Bbn", username, password)).output());
        return new UpstreamRegistry(dir, List.of(
                "auth:",
                "  htpasswd:",
                "    realm: e2e-basic",
                "    path: " + htpasswd));
    }

    /**
     * An anonymous registry that adds {@code headers} to every answer (distribution's {@code http.headers}), for
     * example Docker Hub's {@code ratelimit-limit} / {@code ratelimit-remaining}.
     */
    static UpstreamRegistry withResponseHeaders(Path dir, Map<String, String> headers) throws IOException {
        List<String> config = new ArrayList<>(List.of("  headers:"));
        headers.forEach((name, value) -> config.add("    " + name + ": [\"" + value + "\"]"));
        return new UpstreamRegistry(dir, config);
    }

    void start() {
        ExternalCommand.requireOnPath("docker-registry");
        process = ChildProcess.command("docker-registry", List.of("docker-registry", "serve",
                        dir.resolve("config.yml").toString()))
                .logTo(log()).start()
                .awaitReady(ReadinessProbe.listening(port), READY);
    }

    void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            process = null;
        }
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    String url() {
        return "http://" + hostPort();
    }

    /** How many requests with this method reached paths ending in {@code pathSuffix}, from the access log. */
    long requests(String method, String pathSuffix) throws IOException {
        Pattern line = Pattern.compile("\"" + method + " [^ \"]*" + Pattern.quote(pathSuffix) + " HTTP/1\\.1\"");
        return Files.readAllLines(log(), StandardCharsets.UTF_8).stream().filter(l -> line.matcher(l).find()).count();
    }

    /** A monolithic blob upload, as oras does it: POST for an upload location, PUT the bytes there with the digest. */
    void pushBlob(String name, byte[] bytes) throws IOException, InterruptedException {
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/v2/" + name
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(202, started);
        URI upload = URI.create(url()).resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = upload.getRawQuery() == null ? "?" : "&";
        expect(201, HTTP.send(HttpRequest.newBuilder(URI.create(upload + separator + "digest="
                        + URLEncoder.encode(Digests.sha256(bytes), StandardCharsets.UTF_8)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** PUTs a manifest (or index) of {@code mediaType} under {@code reference}, a tag or its digest. */
    void putManifest(String name, String reference, String mediaType, byte[] bytes)
            throws IOException, InterruptedException {
        expect(201, HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/v2/" + name + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + ": "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** Overwrites a stored blob with other bytes of the same length: the upstream then serves a wrong blob. */
    void corruptBlob(String digest) throws IOException {
        String hex = digest.substring("sha256:".length());
        Path data = dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
                .resolve(hex).resolve("data");
        byte[] bytes = Files.readAllBytes(data);
        for (int i = bytes.length / 2; i < bytes.length; i += 512) {
            bytes[i] ^= 0x5a;
        }
        Files.write(data, bytes);
    }

    private Path log() {
        return dir.resolve("registry.log");
    }

    @Override
    public void close() {
        stop();
    }
}

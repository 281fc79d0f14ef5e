package io.depproxy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Both packaged services as separate processes over a PostgreSQL and an S3Proxy that keep their data and ports
 * across restarts, with a {@link FaultyLink} in front of the upstream registry and one in front of the object store
 * (the control plane presigns for the link, so the accelerator's uploads cross it too). Every piece can be stopped,
 * killed and started again on its own while the others keep running.
 */
final class FaultStack implements AutoCloseable {
    static final String ADMIN_TOKEN = "dpat-faults-admin-token-0123456789abcdef";
    static final String BUCKET = "dependency-proxy";
    private static final Duration READY = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final Map<String, String> acceleratorSettings;
    private final Map<String, String> controlPlaneSettings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int postgresPort = FreePorts.pick();
    private final int storagePort = FreePorts.pick();
    private final int controlPlanePort = FreePorts.pick();
    private final int acceleratorPort = FreePorts.pick();
    private final String storageAccessKey = "FAULTSACCESSKEY00001";
    private final String storageSecretKey = "faults-secret-key-0123456789abcdefghijkl";
    private final String internalSecret = InternalSecret.generateBase64();
    private final String encryptionKey = InternalSecret.generateBase64();
    private UpstreamRegistry upstream;
    private FaultyLink upstreamLink;
    private FaultyLink storageLink;
    private PostgresServer postgres;
    private S3Server storage;
    private JavaService controlPlane;
    private JavaService accelerator;
    private Path jwtKey;
    private boolean databaseRunning;
    private boolean storageRunning;

    /** {@code acceleratorSettings}, {@code controlPlaneSettings}: extra environment each service starts with. */
    FaultStack(Path work, Map<String, String> acceleratorSettings, Map<String, String> controlPlaneSettings) {
        this.work = work;
        this.acceleratorSettings = acceleratorSettings;
        this.controlPlaneSettings = controlPlaneSettings;
    }

    void start() throws Exception {
        upstream = new UpstreamRegistry(work.resolve("upstream"));
        upstream.start();
        upstreamLink = FaultyLink.to("upstream-link", port(upstream.url()));
        startDatabase();
        startStorage();
        storage.createBucket(BUCKET);
        storageLink = FaultyLink.to("storage-link", storagePort);
        jwtKey = RsaKeyFile.write(work.resolve("registry-token-key.pem"));
        startControlPlane();
        startAccelerator();
    }

    UpstreamRegistry upstream() {
        return upstream;
    }

    FaultyLink upstreamLink() {
        return upstreamLink;
    }

    FaultyLink storageLink() {
        return storageLink;
    }

    JavaService accelerator() {
        return accelerator;
    }

    JavaService controlPlane() {
        return controlPlane;
    }

    /** Starts again whatever a test stopped or killed, so one failed test leaves the next a whole stack. */
    void restoreEverything() throws Exception {
        if (!databaseRunning) {
            startDatabase();
        }
        if (!storageRunning) {
            startStorage();
        }
        if (!controlPlane.isAlive()) {
            startControlPlane();
        }
        if (!accelerator.isAlive()) {
            startAccelerator();
        }
    }

    void startDatabase() {
        postgres = PostgresServer.startPersistent(work.resolve("postgres"), postgresPort);
        databaseRunning = true;
    }

    void stopDatabase() {
        databaseRunning = false;
        postgres.close();
    }

    void startStorage() {
        storage = S3Server.startPersistent(work.resolve("s3"), storagePort, storageAccessKey, storageSecretKey);
        storageRunning = true;
    }

    void stopStorage() {
        storageRunning = false;
        storage.close();
    }

    void startControlPlane() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("DP_DB_URL", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres");
        env.put("DP_DB_USER", postgres.username());
        env.put("DP_DB_PASSWORD", postgres.password());
        env.put("DP_S3_ENDPOINT", storageLink.url());
        env.put("DP_S3_ACCESS_KEY", storageAccessKey);
        env.put("DP_S3_SECRET_KEY", storageSecretKey);
        env.put("DP_S3_BUCKET", BUCKET);
        env.put("DP_S3_REGION", S3Server.REGION);
        env.put("DP_INTERNAL_SECRET", internalSecret);
        env.put("DP_JWT_PRIVATE_KEY_FILE", jwtKey.toString());
        env.put("DP_ENCRYPTION_KEY", encryptionKey);
        env.put("DP_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("DP_EXTERNAL_URL", acceleratorUrl());
        env.put("DP_UPSTREAM_URL", upstreamLink.url());
        env.put("DP_UPSTREAM_SINGLE_NAME_PREFIX", "library");
        env.putAll(controlPlaneSettings);
        controlPlane = JavaService.start("control-plane", "dp.controlPlaneJar", env,
                "http://127.0.0.1:" + controlPlanePort, work.resolve("control-plane.log")).awaitReady(READY);
    }

    void startAccelerator() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DP_HTTP_PORT", Integer.toString(acceleratorPort));
        env.put("DP_HTTP_HOST", "127.0.0.1");
        env.put("DP_CONTROL_PLANE_URL", "http://127.0.0.1:" + controlPlanePort);
        env.put("DP_INTERNAL_SECRET", internalSecret);
        env.put("DP_SPOOL_DIR", work.resolve("spool").toString());
        env.putAll(acceleratorSettings);
        accelerator = JavaService.start("accelerator", "dp.acceleratorJar", env, acceleratorUrl(),
                work.resolve("accelerator.log")).awaitReady(READY);
    }

    String acceleratorUrl() {
        return "http://127.0.0.1:" + acceleratorPort;
    }

    /** A registry client logged in as the bootstrap admin at the accelerator. */
    RegistryHttp registry() throws IOException, InterruptedException {
        return new RegistryHttp(acceleratorUrl(), "root", ADMIN_TOKEN);
    }

    /** Creates a group through the admin API (on the control plane: the accelerator may be down) and answers its id. */
    long createGroup(String path) throws IOException, InterruptedException {
        return admin("POST", "/groups", "{\"name\":\"" + path + "\",\"path\":\"" + path + "\"}").get("id").asLong();
    }

    /** The digests of the group's blob records in any status (an upload lease is a {@code processing} record). */
    List<String> recordedBlobs(long groupId) throws IOException, InterruptedException {
        List<String> digests = new ArrayList<>();
        blobRecords(groupId).forEach(blob -> digests.add(blob.get("digest").asText()));
        return digests;
    }

    /** The digests of the group's blob records that a hit would serve (status {@code default}). */
    List<String> servableBlobs(long groupId) throws IOException, InterruptedException {
        List<String> digests = new ArrayList<>();
        blobRecords(groupId).forEach(blob -> {
            if ("default".equals(blob.get("status").asText())) {
                digests.add(blob.get("digest").asText());
            }
        });
        return digests;
    }

    /** The group's blob records (digest, size, status) as the admin API lists them. */
    JsonNode blobRecords(long groupId) throws IOException, InterruptedException {
        return admin("GET", "/groups/" + groupId + "/dependency_proxy/blobs?per_page=100", null);
    }

    /** The temporary upload objects ({@code tmp/uploads/…}) in the bucket, one file per object in S3Proxy's store. */
    List<Path> temporaryUploads() throws IOException {
        return ProxyStack.filesUnder(bucketDir().resolve("tmp/uploads"));
    }

    /** The object file S3Proxy keeps for a key of the bucket. */
    Path storedObject(String key) {
        return bucketDir().resolve(key);
    }

    private Path bucketDir() {
        return work.resolve("s3/data").resolve(BUCKET);
    }

    private JsonNode admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(controlPlane.url() + "/api/v4" + path))
                .timeout(Duration.ofSeconds(30)).header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable piece : new AutoCloseable[] {accelerator, controlPlane, storageLink, upstreamLink}) {
            if (piece != null) {
                piece.close();
            }
        }
        if (storage != null) {
            storage.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }
}

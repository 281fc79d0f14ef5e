package io.depproxy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final Map<String, String> acceleratorSettings;
    private final Map<String, String> controlPlaneSettings;
    private final int postgresPort = FreePorts.pick();
    private final int storagePort = FreePorts.pick();
    private final int controlPlanePort = FreePorts.pick();
    private final int acceleratorPort = FreePorts.pick();
    private final String storageAccessKey = "FAULTSACCESSKEY00001";
    private final String storageSecretKey = "faults-secret-key-0123456789abcdefghijkl";
    private final String internalSecret = InternalSecret.generateBase64();
    private final String encryptionKey = InternalSecret.generateBase64();
    private final AdminApi admin = new AdminApi("http://127.0.0.1:" + controlPlanePort, ADMIN_TOKEN);
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
        storage.createBucket(ServiceSettings.BUCKET);
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

    void startControlPlane() {
        ServiceSettings settings = settings();
        Map<String, String> env = settings.controlPlane(controlPlanePort, acceleratorUrl(), upstreamLink.url());
        env.putAll(controlPlaneSettings);
        controlPlane = JavaService.startControlPlane("control-plane", env, work.resolve("control-plane.log"));
    }

    void startAccelerator() {
        Map<String, String> env = settings().accelerator(acceleratorPort, "http://127.0.0.1:" + controlPlanePort,
                work.resolve("spool"));
        env.putAll(acceleratorSettings);
        accelerator = JavaService.startAccelerator("accelerator", env, work.resolve("accelerator.log"));
    }

    /** The control plane reaches PostgreSQL on its fixed port and the object store through {@link #storageLink}. */
    private ServiceSettings settings() {
        return new ServiceSettings("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", postgres.username(),
                postgres.password(), storageLink.url(), storageAccessKey, storageSecretKey, internalSecret,
                encryptionKey, jwtKey, ADMIN_TOKEN);
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
        return admin.createGroup(path);
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
        return admin.call("GET", "/groups/" + groupId + "/dependency_proxy/blobs?per_page=100", null);
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
        return work.resolve("s3/data").resolve(ServiceSettings.BUCKET);
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

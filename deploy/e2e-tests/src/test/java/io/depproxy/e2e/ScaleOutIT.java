package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two accelerators, each in front of its own control plane (A → A, B → B), sharing one PostgreSQL, one S3 bucket,
 * the internal secret and the registry-token signing key: what two replicas of each Deployment look like. A pull
 * through A fills the cache; a pull through B is served from it, and tokens minted by A are good on B.
 */
class ScaleOutIT {
    private static final String ADMIN_TOKEN = "dpat-scaleout-admin-token-0123456789abcdef";
    private static final String CREDS = "root:" + ADMIN_TOKEN;
    private static final String BUCKET = "dependency-proxy";
    private static final String IMAGE = "scale-app";
    private static final Duration READY = Duration.ofSeconds(180);
    @TempDir
    static Path work;
    private static UpstreamRegistry upstream;
    private static PostgresServer postgres;
    private static S3Server s3;
    private static final List<JavaService> services = new ArrayList<>();
    private static JavaService controlPlaneB;
    private static JavaService acceleratorA;
    private static JavaService acceleratorB;
    private static OciImageLayout.Image image;
    private static String internalSecret;
    private static String encryptionKey;
    private static long groupId;

    @BeforeAll
    static void startEverything() throws Exception {
        ExternalCommand.requireOnPath("skopeo");
        OciImageLayout layout = new OciImageLayout(work.resolve("layout"), 7);
        image = layout.image("amd64", 1_500, 2 * 1024 * 1024, 6 * 1024 * 1024);
        layout.tag("v1", image.manifest());
        upstream = new UpstreamRegistry(work.resolve("upstream"));
        upstream.start();
        Skopeo.push(work.resolve("layout"), "v1", upstream.hostPort() + "/library/" + IMAGE + ":v1", false);
        postgres = PostgresServer.startEphemeral();
        s3 = S3Server.startEphemeral();
        s3.createBucket(BUCKET);
        Path jwtKey = RsaKeyFile.write(work.resolve("registry-token-key.pem"));
        internalSecret = InternalSecret.generateBase64();
        encryptionKey = InternalSecret.generateBase64();
        int acceleratorPortA = FreePorts.pick();
        int acceleratorPortB = FreePorts.pick();
        // one after the other: the first migrates the schema and creates the admin, the second finds both
        JavaService controlPlaneA = startControlPlane("a", jwtKey, acceleratorPortA);
        controlPlaneB = startControlPlane("b", jwtKey, acceleratorPortB);
        acceleratorA = startAccelerator("a", acceleratorPortA, controlPlaneA.url());
        acceleratorB = startAccelerator("b", acceleratorPortB, controlPlaneB.url());
        groupId = createGroup(acceleratorA.url(), "scale");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aPullThroughTheSecondReplicaIsServedFromTheCacheTheFirstFilled() throws Exception {
        String path = "/scale/dependency_proxy/containers/" + IMAGE + ":v1";
        Skopeo.pull(acceleratorA.hostPort() + path, CREDS, work.resolve("via-a")).assertSuccess(List.of("pull via A"));
        assertPulledExactly(work.resolve("via-a"));
        List<String> expected = image.blobs().stream().map(b -> Digests.hexOf(b.digest())).toList();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(storedBlobs())
                .containsExactlyInAnyOrderElementsOf(expected));

        Skopeo.pull(acceleratorB.hostPort() + path, CREDS, work.resolve("via-b")).assertSuccess(List.of("pull via B"));

        assertPulledExactly(work.resolve("via-b"));
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest()))
                    .as("upstream GETs of %s over both pulls", blob.digest()).isEqualTo(1);
        }
        assertThat(storedBlobs()).as("each blob stored once").containsExactlyInAnyOrderElementsOf(expected);
        String metricsB = acceleratorB.get("/-/metrics");
        assertThat(counter(metricsB, "accel_senddata_responses_total{injection=\"send-url\"}")).isPositive();
        assertThat(counter(metricsB, "accel_bytes_served_from_cache_total")).isPositive();
        assertThat(controlPlaneB.get("/-/metrics")).contains("status=\"200\",uri=\"/v2/{name}/blobs/{digest}\"}")
                .doesNotContain(image.blobs().get(0).digest(), IMAGE);
    }

    @Test
    void aRegistryTokenFromOneReplicaOpensTheOtherAndTheRequestIdCrossesBothServices() throws Exception {
        String token = RegistryHttp.token(acceleratorA.url(), "root", ADMIN_TOKEN);
        RegistryHttp viaB = new RegistryHttp(acceleratorB.url(), token);
        String requestId = "scale-out-" + UUID.randomUUID();

        HttpResponse<String> manifest = HttpClient.newHttpClient().send(viaB
                .request("/v2/scale/dependency_proxy/containers/" + IMAGE + "/manifests/v1")
                .header("X-Request-Id", requestId).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(10), () -> {
            assertThat(acceleratorB.log()).as("accelerator B log").contains("\"request_id\":\"" + requestId + "\"");
            assertThat(controlPlaneB.log()).as("control plane B log").contains("\"request_id\":\"" + requestId + "\"");
        });
        List<String> secrets = List.of(ADMIN_TOKEN, token, internalSecret, s3.secretKey());
        for (JavaService service : services) {
            assertThat(service.log()).doesNotContain(secrets)
                    .doesNotContainPattern("X-Amz-Signature=[0-9a-f]{8}");
        }
    }

    private static JavaService startControlPlane(String name, Path jwtKey, int acceleratorPort) throws Exception {
        int port = FreePorts.pick();
        Map<String, String> env = new HashMap<>();
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(port));
        env.put("DP_DB_URL", postgres.jdbcUrl());
        env.put("DP_DB_USER", postgres.username());
        env.put("DP_DB_PASSWORD", postgres.password());
        env.put("DP_S3_ENDPOINT", s3.endpoint());
        env.put("DP_S3_ACCESS_KEY", s3.accessKey());
        env.put("DP_S3_SECRET_KEY", s3.secretKey());
        env.put("DP_S3_BUCKET", BUCKET);
        env.put("DP_S3_REGION", s3.region());
        env.put("DP_INTERNAL_SECRET", internalSecret);
        env.put("DP_JWT_PRIVATE_KEY_FILE", jwtKey.toString());
        env.put("DP_ENCRYPTION_KEY", encryptionKey);
        env.put("DP_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("DP_EXTERNAL_URL", "http://127.0.0.1:" + acceleratorPort);
        env.put("DP_UPSTREAM_URL", upstream.url());
        env.put("DP_UPSTREAM_SINGLE_NAME_PREFIX", "library");
        JavaService controlPlane = JavaService.start("control-plane-" + name, "dp.controlPlaneJar", env,
                "http://127.0.0.1:" + port, work.resolve("control-plane-" + name + ".log")).awaitReady(READY);
        services.add(controlPlane);
        return controlPlane;
    }

    private static JavaService startAccelerator(String name, int port, String controlPlaneUrl) throws Exception {
        Path spool = Files.createDirectories(work.resolve("spool-" + name));
        Map<String, String> env = Map.of("DP_HTTP_PORT", Integer.toString(port), "DP_HTTP_HOST", "127.0.0.1",
                "DP_CONTROL_PLANE_URL", controlPlaneUrl, "DP_INTERNAL_SECRET", internalSecret,
                "DP_SPOOL_DIR", spool.toString());
        JavaService accelerator = JavaService.start("accelerator-" + name, "dp.acceleratorJar", env,
                "http://127.0.0.1:" + port, work.resolve("accelerator-" + name + ".log")).awaitReady(READY);
        services.add(accelerator);
        return accelerator;
    }

    private static long createGroup(String baseUrl, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/v4/groups"))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + path + "&path=" + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return Long.parseLong(id.group(1));
    }

    /** The hex digests of the group's blob objects in the bucket, one entry per object. */
    private static List<String> storedBlobs() throws Exception {
        List<String> names = new ArrayList<>();
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build()) {
            Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder().bucket(BUCKET)
                    .prefix("dependency_proxy/" + groupId + "/blobs/").recursive(true).build());
            for (Result<Item> item : items) {
                String key = item.get().objectName();
                names.add(key.substring(key.lastIndexOf('/') + 1));
            }
        }
        return names;
    }

    private static void assertPulledExactly(Path out) throws IOException {
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            Path file = out.resolve("blobs/sha256").resolve(Digests.hexOf(blob.digest()));
            assertThat(file).as("pulled blob %s", blob.digest()).exists();
            assertThat(Files.size(file)).isEqualTo(blob.size());
            assertThat(Digests.sha256(Files.readAllBytes(file))).isEqualTo(blob.digest());
        }
    }

    private static long counter(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in\n" + metrics);
    }
}

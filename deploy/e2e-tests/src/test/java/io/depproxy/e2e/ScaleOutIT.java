package io.depproxy.e2e;

import static io.depproxy.e2e.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.depproxy.contracts.Digests;
import io.depproxy.localrunner.FreePorts;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two accelerators, each in front of its own control plane (A → A, B → B), sharing one PostgreSQL, one S3 bucket,
 * the internal secret and the registry-token signing key: what two replicas of each Deployment look like. A pull
 * through A fills the cache; a pull through B is served from it, and tokens minted by A are good on B.
 */
class ScaleOutIT {
    private static final String ADMIN_TOKEN = "dpat-scaleout-admin-token-0123456789abcdef";
    private static final String CREDS = "root:" + ADMIN_TOKEN;
    private static final String IMAGE = "scale-app";
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static S3Server s3;
    private static ServiceSettings settings;
    private static final List<JavaService> services = new ArrayList<>();
    private static JavaService controlPlaneB;
    private static JavaService acceleratorA;
    private static JavaService acceleratorB;
    private static OciImageLayout.Image image;
    private static long groupId;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        image = e2e.pushImage(upstream, "library/" + IMAGE + ":v1", 7, 1_500, 2 * 1024 * 1024, 6 * 1024 * 1024);
        PostgresServer postgres = e2e.closeAtEnd(PostgresServer.startEphemeral());
        s3 = e2e.closeAtEnd(S3Server.startEphemeral());
        settings = ServiceSettings.over(postgres, s3, RsaKeyFile.write(e2e.dir("registry-token-key.pem")), ADMIN_TOKEN);
        int acceleratorPortA = FreePorts.pick();
        int acceleratorPortB = FreePorts.pick();
        // one after the other: the first migrates the schema and creates the admin, the second finds both
        JavaService controlPlaneA = startControlPlane("a", acceleratorPortA);
        controlPlaneB = startControlPlane("b", acceleratorPortB);
        acceleratorA = startAccelerator("a", acceleratorPortA, controlPlaneA.url());
        acceleratorB = startAccelerator("b", acceleratorPortB, controlPlaneB.url());
        groupId = new AdminApi(acceleratorA.url(), ADMIN_TOKEN).createGroup("scale");
    }

    @Test
    void aPullThroughTheSecondReplicaIsServedFromTheCacheTheFirstFilled() throws Exception {
        String path = "/scale/dependency_proxy/containers/" + IMAGE + ":v1";
        Skopeo.pull(acceleratorA.hostPort() + path, CREDS, e2e.dir("via-a")).assertSuccess(List.of("pull via A"));
        assertPulledExactly(e2e.dir("via-a"));
        List<String> expected = image.blobs().stream().map(b -> Digests.hexOf(b.digest())).toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedBlobs())
                .containsExactlyInAnyOrderElementsOf(expected));

        Skopeo.pull(acceleratorB.hostPort() + path, CREDS, e2e.dir("via-b")).assertSuccess(List.of("pull via B"));

        assertPulledExactly(e2e.dir("via-b"));
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest()))
                    .as("upstream GETs of %s over both pulls", blob.digest()).isEqualTo(1);
        }
        assertThat(storedBlobs()).as("each blob stored once").containsExactlyInAnyOrderElementsOf(expected);
        String metricsB = acceleratorB.get("/-/metrics");
        assertThat(value(metricsB, "accel_senddata_responses_total{injection=\"send-url\"}")).isPositive();
        assertThat(value(metricsB, "accel_bytes_served_from_cache_total")).isPositive();
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
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(acceleratorB.log()).as("accelerator B log").contains("\"request_id\":\"" + requestId + "\"");
            assertThat(controlPlaneB.log()).as("control plane B log").contains("\"request_id\":\"" + requestId + "\"");
        });
        List<String> secrets = List.of(ADMIN_TOKEN, token, settings.internalSecret(), s3.secretKey());
        for (JavaService service : services) {
            assertThat(service.log()).doesNotContain(secrets)
                    .doesNotContainPattern("X-Amz-Signature=[0-9a-f]{8}");
        }
    }

    private static JavaService startControlPlane(String name, int acceleratorPort) {
        Map<String, String> env = settings.controlPlane(FreePorts.pick(), "http://127.0.0.1:" + acceleratorPort,
                upstream.url());
        JavaService controlPlane = JavaService.startControlPlane("control-plane-" + name, env,
                e2e.dir("control-plane-" + name + ".log"));
        services.add(e2e.closeAtEnd(controlPlane));
        return controlPlane;
    }

    private static JavaService startAccelerator(String name, int port, String controlPlaneUrl) throws Exception {
        Path spool = Files.createDirectories(e2e.dir("spool-" + name));
        JavaService accelerator = JavaService.startAccelerator("accelerator-" + name,
                settings.accelerator(port, controlPlaneUrl, spool), e2e.dir("accelerator-" + name + ".log"));
        services.add(e2e.closeAtEnd(accelerator));
        return accelerator;
    }

    /** The hex digests of the group's blob objects in the bucket, one entry per object. */
    private static List<String> storedBlobs() throws Exception {
        List<String> names = new ArrayList<>();
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build()) {
            Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder().bucket(ServiceSettings.BUCKET)
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
}

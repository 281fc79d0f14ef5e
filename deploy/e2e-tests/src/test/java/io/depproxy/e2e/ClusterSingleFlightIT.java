package io.depproxy.e2e;

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
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster-wide single flight (docs/scale-out.md): three accelerator replicas in front of one control plane, each
 * with its peer port and advertised URL, the upstream registry behind a throttled {@link FaultyLink} so a cold
 * download is still running when the other replicas ask. Eight clients on each replica pull one cold blob at once:
 * one upstream GET, every body right, stored once, then a hit on every replica. The fetching replica killed with
 * SIGKILL mid-stream: the clients relaying from it get the right bytes or a clean failure, never a complete wrong
 * body; a retry succeeds; the blob is stored once.
 */
class ClusterSingleFlightIT {
    private static final long MIB = 1024 * 1024;
    private static final String ADMIN_TOKEN = "dpat-singleflight-admin-0123456789abcdef";
    private static final int REPLICAS = 3;
    private static final int CLIENTS_PER_REPLICA = 8;
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static FaultyLink upstreamLink;
    private static S3Server s3;
    private static ServiceSettings settings;
    private static JavaService controlPlane;
    private static AdminApi admin;
    private static final JavaService[] accelerators = new JavaService[REPLICAS];
    private static final int[] acceleratorPorts = new int[REPLICAS];
    private static final int[] peerPorts = new int[REPLICAS];
    private static int images;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        upstreamLink = e2e.closeAtEnd(FaultyLink.to("upstream", URI.create(upstream.url()).getPort()));
        PostgresServer postgres = e2e.closeAtEnd(PostgresServer.startEphemeral());
        s3 = e2e.closeAtEnd(S3Server.startEphemeral());
        settings = ServiceSettings.over(postgres, s3, RsaKeyFile.write(e2e.dir("registry-token-key.pem")), ADMIN_TOKEN);
        for (int i = 0; i < REPLICAS; i++) {
            acceleratorPorts[i] = FreePorts.pick();
            peerPorts[i] = FreePorts.pick();
        }
        controlPlane = e2e.closeAtEnd(JavaService.startControlPlane("control-plane", settings.controlPlane(
                FreePorts.pick(), "http://127.0.0.1:" + acceleratorPorts[0], upstreamLink.url()),
                e2e.dir("control-plane.log")));
        admin = new AdminApi(controlPlane.url(), ADMIN_TOKEN);
        e2e.closeAtEnd(() -> {
            for (JavaService accelerator : accelerators) {
                if (accelerator != null) {
                    accelerator.close();
                }
            }
        });
        for (int i = 0; i < REPLICAS; i++) {
            accelerators[i] = startAccelerator(i);
        }
    }

    @AfterEach
    void healEverything() throws Exception {
        clients.shutdownNow();
        upstreamLink.heal();
        for (int i = 0; i < REPLICAS; i++) {
            if (!accelerators[i].isAlive()) {
                accelerators[i] = startAccelerator(i);
            }
        }
    }

    @Test
    void eightClientsOnEachReplicaPullAColdBlobWithOneUpstreamGetAndItIsThenAHitEverywhere() throws Exception {
        Blob blob = pushedLayer("wave", 24 * MIB);
        // about 8 s of download: every client has asked long before it ends
        upstreamLink.throttleResponses(3 * MIB);
        List<RegistryHttp> registries = registries();

        List<Future<BlobDownload.Outcome>> transfers = new ArrayList<>();
        for (int client = 0; client < CLIENTS_PER_REPLICA; client++) {
            for (RegistryHttp registry : registries) {
                transfers.add(clients.submit(new BlobDownload(registry, blob.path())));
            }
        }
        for (Future<BlobDownload.Outcome> transfer : transfers) {
            BlobDownload.Outcome outcome = transfer.get(3, TimeUnit.MINUTES);
            assertThat(outcome.isExactly(blob.digest(), blob.size())).as("a client of the wave: %s", outcome).isTrue();
        }
        assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).as("upstream GETs of the blob").isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertStoredOnce(blob));

        upstreamLink.heal();
        for (RegistryHttp registry : registries) {
            BlobDownload.Outcome hit = new BlobDownload(registry, blob.path()).call();
            assertThat(hit.isExactly(blob.digest(), blob.size())).as("a hit: %s", hit).isTrue();
        }
        assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).as("the hits asked no upstream").isEqualTo(1);
        assertStoredOnce(blob);
        assertThat(metric(0, "accel_senddata_responses_total{injection=\"send-peer\"}")
                + metric(1, "accel_senddata_responses_total{injection=\"send-peer\"}")
                + metric(2, "accel_senddata_responses_total{injection=\"send-peer\"}"))
                .as("clients on the other replicas were served from the fetching one")
                .isGreaterThanOrEqualTo(2L * CLIENTS_PER_REPLICA);
    }

    @Test
    void theFetchingReplicaKilledMidStreamLeavesCleanFailuresOrRightBytesAndARetryStoresTheBlobOnce() throws Exception {
        Blob blob = pushedLayer("killed", 24 * MIB);
        // about 24 s of download: the fetcher dies well before it ends
        upstreamLink.throttleResponses(MIB);
        List<RegistryHttp> registries = registries();
        BlobDownload first = new BlobDownload(registries.get(0), blob.path());
        Future<BlobDownload.Outcome> fetcherClient = clients.submit(first);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(first.received()).isGreaterThan(256 * 1024));
        List<BlobDownload> relayed = new ArrayList<>();
        List<Future<BlobDownload.Outcome>> transfers = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            for (RegistryHttp registry : registries.subList(1, REPLICAS)) {
                BlobDownload download = new BlobDownload(registry, blob.path());
                relayed.add(download);
                transfers.add(clients.submit(download));
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(relayed)
                .allSatisfy(download -> assertThat(download.received()).isGreaterThan(512 * 1024)));

        accelerators[0].kill();

        fetcherClient.get(3, TimeUnit.MINUTES);
        for (Future<BlobDownload.Outcome> transfer : transfers) {
            BlobDownload.Outcome outcome = transfer.get(3, TimeUnit.MINUTES);
            boolean clean = outcome.isExactly(blob.digest(), blob.size())
                    || outcome.status() != 200 || outcome.failure() != null;
            assertThat(clean).as("right bytes or a clean failure, never a complete wrong body: %s", outcome).isTrue();
            assertThat(outcome.bytes()).as("%s", outcome).isLessThanOrEqualTo(blob.size());
        }
        upstreamLink.heal();
        BlobDownload.Outcome retry = new BlobDownload(registries.get(1), blob.path()).call();
        assertThat(retry.isExactly(blob.digest(), blob.size())).as("the retry: %s", retry).isTrue();
        BlobDownload.Outcome other = new BlobDownload(registries.get(2), blob.path()).call();
        assertThat(other.isExactly(blob.digest(), blob.size())).as("a pull on the third replica: %s", other).isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertStoredOnce(blob));
    }

    private record Blob(long groupId, String digest, long size, String path) {
    }

    private static Blob pushedLayer(String name, long size) throws Exception {
        OciImageLayout.Image image = e2e.pushImage(upstream, "library/" + name + ":v1", 7000 + ++images, size);
        long groupId = admin.createGroup(name + "-group");
        OciImageLayout.Descriptor layer = image.blobs().get(1);
        return new Blob(groupId, layer.digest(), layer.size(),
                "/v2/" + name + "-group/dependency_proxy/containers/" + name + "/blobs/" + layer.digest());
    }

    private static List<RegistryHttp> registries() throws Exception {
        List<RegistryHttp> registries = new ArrayList<>();
        for (JavaService accelerator : accelerators) {
            registries.add(new RegistryHttp(accelerator.url(), "root", ADMIN_TOKEN));
        }
        return registries;
    }

    /** One servable record of the blob, of its size, and one object holding exactly its bytes. */
    private static void assertStoredOnce(Blob blob) throws Exception {
        String records = admin.call("GET", "/groups/" + blob.groupId() + "/dependency_proxy/blobs?per_page=100", null)
                .toString();
        Matcher digests = Pattern.compile(Pattern.quote("\"" + blob.digest() + "\"")).matcher(records);
        int count = 0;
        while (digests.find()) {
            count++;
        }
        assertThat(count).as("records of the blob: %s", records).isEqualTo(1);
        assertThat(records).contains("\"default\"");
        List<String> objects = new ArrayList<>();
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build()) {
            Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder().bucket(ServiceSettings.BUCKET)
                    .prefix("dependency_proxy/" + blob.groupId() + "/blobs/").recursive(true).build());
            for (Result<Item> item : items) {
                objects.add(item.get().objectName() + " " + item.get().size());
            }
        }
        assertThat(objects).containsExactly("dependency_proxy/" + blob.groupId() + "/blobs/sha256/"
                + Digests.hexOf(blob.digest()) + " " + blob.size());
    }

    private static long metric(int replica, String series) throws Exception {
        if (!accelerators[replica].isAlive()) {
            return 0;
        }
        return (long) PrometheusText.find(accelerators[replica].get("/-/metrics"), series).orElse(0);
    }

    private static JavaService startAccelerator(int replica) throws Exception {
        Map<String, String> env = settings.accelerator(acceleratorPorts[replica], controlPlane.url(),
                Files.createDirectories(e2e.dir("spool-" + replica)));
        // no hot tier: a hit on another replica must come from object storage, not its own copy
        env.put("DP_HOT_CACHE_MAX_BYTES", "0");
        env.put("DP_PEER_PORT", Integer.toString(peerPorts[replica]));
        env.put("DP_PEER_ADVERTISE_URL", "http://127.0.0.1:" + peerPorts[replica]);
        return JavaService.startAccelerator("accelerator-" + replica, env, e2e.dir("accelerator-" + replica + ".log"));
    }
}

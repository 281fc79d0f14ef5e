package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user sees, and what the cache keeps, when a piece of the system misbehaves during a pull: a slow or
 * cut upstream, a control plane or accelerator that dies mid-transfer, object storage or the database gone.
 * Both packaged services run against real PostgreSQL, S3Proxy and docker-registry ({@link FaultStack}).
 */
class FaultToleranceIT {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    /** Low on purpose: every slow transfer here takes several times this long. */
    private static final Duration UPSTREAM_HEADER_TIMEOUT = Duration.ofSeconds(2);
    /** What "promptly" means for an answer while storage or the database is down. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);
    private static final int CONCURRENT_CLIENTS = 8;
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static FaultStack stack;
    private static RegistryHttp registry;
    private static int images;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    static void startEverything() throws Exception {
        stack = e2e.closeAtEnd(new FaultStack(e2e.work(),
                // no hot tier: a hit must come from object storage, which is what the storage faults are about
                Map.of("DP_UPSTREAM_HEADER_TIMEOUT", UPSTREAM_HEADER_TIMEOUT.toSeconds() + "s",
                        "DP_HOT_CACHE_MAX_BYTES", "0"),
                // every request asks the database (no decision cache), and a crash's temporary object goes soon
                Map.of("DP_DECISION_CACHE_TTL", "0s", "DP_TMP_UPLOAD_SWEEP_INTERVAL", "1s",
                        "DP_TMP_UPLOAD_MAX_AGE", "5s")));
        stack.start();
        registry = stack.registry();
    }

    @BeforeEach
    void restoreEverything() throws Exception {
        stack.restoreEverything();
    }

    @AfterEach
    void healLinks() {
        clients.shutdownNow();
        stack.upstreamLink().heal();
        stack.storageLink().heal();
    }

    @Test
    void aMissSlowerThanEveryTimeoutIsServedExactlyAndStoredSoTheNextPullIsAHit() throws Exception {
        Blob layer = pushedLayer("slow", 3 * MIB);
        stack.upstreamLink().throttleResponses(512 * KIB);
        // slow enough that what sits in socket buffers when the PUT's body is written takes seconds to reach S3
        stack.storageLink().throttleRequests(256 * KIB);

        BlobDownload.Outcome cold = new BlobDownload(registry, layer.path()).call();

        assertThat(cold.isExactly(layer.digest(), layer.size())).as("cold pull: %s", cold).isTrue();
        assertThat(cold.took()).as("the premise: slower than the header timeout").isGreaterThan(UPSTREAM_HEADER_TIMEOUT);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertRecordedExactly(layer));
        stack.upstreamLink().heal();
        stack.storageLink().heal();
        BlobDownload.Outcome hit = new BlobDownload(registry, layer.path()).call();
        assertThat(hit.isExactly(layer.digest(), layer.size())).as("hit: %s", hit).isTrue();
        assertThat(stack.upstream().requests("GET", "/blobs/" + layer.digest())).as("upstream GETs").isEqualTo(1);
    }

    @Test
    void anUpstreamCutMidBodyFailsTheTransferRecordsNothingAndTheNextPullSucceeds() throws Exception {
        Blob layer = pushedLayer("cut", 3 * MIB);
        stack.upstreamLink().cutResponsesAfter(MIB);

        BlobDownload.Outcome cut = new BlobDownload(registry, layer.path()).call();

        assertThat(cut.isExactly(layer.digest(), layer.size())).as("cut pull: %s", cut).isFalse();
        assertThat(cut.status() != 200 || cut.failure() != null).as("the client can tell: %s", cut).isTrue();
        assertThat(stack.recordedBlobs(layer.groupId())).doesNotContain(layer.digest());
        stack.upstreamLink().heal();
        BlobDownload.Outcome again = new BlobDownload(registry, layer.path()).call();
        assertThat(again.isExactly(layer.digest(), layer.size())).as("pull after the cut: %s", again).isTrue();
        assertThat(stack.upstream().requests("GET", "/blobs/" + layer.digest())).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRecordedExactly(layer));
    }

    @Test
    void aControlPlaneRestartedMidStreamLeavesTheClientsBytesExactAndNoWrongRecord() throws Exception {
        Blob layer = pushedLayer("restart", 4 * MIB);
        stack.upstreamLink().throttleResponses(512 * KIB);
        BlobDownload download = new BlobDownload(registry, layer.path());
        Future<BlobDownload.Outcome> transfer = clients.submit(download);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(download.received()).isGreaterThan(256 * KIB));

        stack.controlPlane().kill();
        stack.startControlPlane();

        BlobDownload.Outcome streamed = transfer.get(2, TimeUnit.MINUTES);
        assertThat(streamed.isExactly(layer.digest(), layer.size())).as("streamed across the restart: %s", streamed)
                .isTrue();
        stack.upstreamLink().heal();
        BlobDownload.Outcome next = new BlobDownload(registry, layer.path()).call();
        assertThat(next.isExactly(layer.digest(), layer.size())).as("the next pull: %s", next).isTrue();
        // one snapshot decides: an upload may finish between two reads of the records
        JsonNode records = stack.blobRecords(layer.groupId());
        boolean servable = false;
        for (JsonNode record : records) {
            servable |= "default".equals(record.get("status").asText());
        }
        if (servable) {
            assertRecordedExactly(layer);
        } else {
            assertThat(records).as("at most the upload lease")
                    .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("processing"));
        }
    }

    @Test
    void anAcceleratorKilledMidUploadLeavesNoRecordItsTemporaryObjectIsSweptAndTheBlobIsStoredLater()
            throws Exception {
        Blob layer = pushedLayer("crash", 4 * MIB);
        stack.storageLink().throttleRequests(256 * KIB);
        long sentToStorage = stack.storageLink().requestBytes();

        BlobDownload.Outcome served = new BlobDownload(registry, layer.path()).call();
        assertThat(served.isExactly(layer.digest(), layer.size())).as("served before the upload: %s", served).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                stack.storageLink().requestBytes() - sentToStorage)
                .as("upload under way").isGreaterThan(MIB));
        stack.accelerator().kill();
        stack.storageLink().heal();

        assertThat(stack.servableBlobs(layer.groupId())).doesNotContain(layer.digest());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(stack.temporaryUploads()).as("swept").isEmpty());
        stack.startAccelerator();
        BlobDownload.Outcome again = new BlobDownload(registry, layer.path()).call();
        assertThat(again.isExactly(layer.digest(), layer.size())).as("after the restart: %s", again).isTrue();
        assertThat(stack.upstream().requests("GET", "/blobs/" + layer.digest())).isEqualTo(2);
    }

    @Test
    void deadObjectStorageStillServesAMissRecordsNothingAndAnswersAHitWith503() throws Exception {
        Blob layer = pushedLayer("nostore", 2 * MIB);
        Blob cached = cachedLayer("stored", 256 * KIB);

        stack.stopStorage();
        try {
            BlobDownload.Outcome miss = new BlobDownload(registry, layer.path()).call();
            assertThat(miss.isExactly(layer.digest(), layer.size())).as("miss, storage dead: %s", miss).isTrue();
            BlobDownload.Outcome hit = new BlobDownload(registry, cached.path()).call();
            assertUnavailablePromptly(hit, "hit, storage dead");
            assertThat(stack.servableBlobs(layer.groupId())).doesNotContain(layer.digest());
        } finally {
            stack.startStorage();
        }

        BlobDownload.Outcome hit = new BlobDownload(registry, cached.path()).call();
        assertThat(hit.isExactly(cached.digest(), cached.size())).as("hit, storage back: %s", hit).isTrue();
        BlobDownload.Outcome miss = new BlobDownload(registry, layer.path()).call();
        assertThat(miss.isExactly(layer.digest(), layer.size())).as("miss, storage back: %s", miss).isTrue();
        cachedLayer("restored", 256 * KIB);
    }

    @Test
    void hangingObjectStorageStillServesAMissRecordsNothingAndAnswersAHitWith503() throws Exception {
        Blob layer = pushedLayer("hang", 2 * MIB);
        Blob cached = cachedLayer("hang-cached", 256 * KIB);
        stack.storageLink().hang();

        BlobDownload.Outcome miss = new BlobDownload(registry, layer.path()).call();

        assertThat(miss.isExactly(layer.digest(), layer.size())).as("miss, storage hanging: %s", miss).isTrue();
        assertThat(miss.took()).as("the client never waits for storage").isLessThan(PROMPTLY);
        assertThat(stack.servableBlobs(layer.groupId())).doesNotContain(layer.digest());
        BlobDownload.Outcome hit = new BlobDownload(registry, cached.path()).call();
        assertUnavailablePromptly(hit, "hit, storage hanging");
    }

    @Test
    void aDatabaseDownAnswers503Promptly() throws Exception {
        Blob cached = cachedLayer("db", 256 * KIB);
        Blob uncached = pushedLayer("nodb", 256 * KIB);

        stack.stopDatabase();
        try {
            assertUnavailablePromptly(new BlobDownload(registry, cached.path()).call(), "hit, database down");
            assertUnavailablePromptly(new BlobDownload(registry, uncached.path()).call(), "miss, database down");
        } finally {
            stack.startDatabase();
        }
    }

    @Test
    void aRestartedDatabaseServesEveryPullAtOnceWithoutRestartingTheServices() throws Exception {
        Blob cached = cachedLayer("dbrestart", 256 * KIB);
        Blob uncached = pushedLayer("dbrestart-new", 256 * KIB);
        // concurrent hits open several pooled connections, which the restart leaves broken
        List<BlobDownload.Outcome> warm = concurrently(CONCURRENT_CLIENTS, cached.path());
        assertThat(warm).allSatisfy(hit -> assertThat(hit.isExactly(cached.digest(), cached.size())).isTrue());

        stack.stopDatabase();
        stack.startDatabase();

        for (int i = 0; i < CONCURRENT_CLIENTS; i++) {
            BlobDownload.Outcome hit = new BlobDownload(registry, cached.path()).call();
            assertThat(hit.isExactly(cached.digest(), cached.size())).as("hit %d, database back: %s", i, hit).isTrue();
        }
        BlobDownload.Outcome miss = new BlobDownload(registry, uncached.path()).call();
        assertThat(miss.isExactly(uncached.digest(), uncached.size())).as("miss, database back: %s", miss).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRecordedExactly(uncached));
    }

    private List<BlobDownload.Outcome> concurrently(int count, String path) throws Exception {
        List<Future<BlobDownload.Outcome>> transfers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            transfers.add(clients.submit(new BlobDownload(registry, path)));
        }
        List<BlobDownload.Outcome> outcomes = new ArrayList<>();
        for (Future<BlobDownload.Outcome> transfer : transfers) {
            outcomes.add(transfer.get(2, TimeUnit.MINUTES));
        }
        return outcomes;
    }

    /** A layer of an image pushed to the upstream, and the path that pulls it through a new group. */
    private record Blob(long groupId, String digest, long size, String path) {
    }

    private static Blob pushedLayer(String name, long size) throws Exception {
        OciImageLayout.Image image = e2e.pushImage(stack.upstream(), "library/" + name + ":v1", 4000 + ++images, size);
        long groupId = stack.createGroup(name + "-group");
        OciImageLayout.Descriptor layer = image.blobs().get(1);
        return new Blob(groupId, layer.digest(), layer.size(),
                "/v2/" + name + "-group/dependency_proxy/containers/" + name + "/blobs/" + layer.digest());
    }

    /** As {@link #pushedLayer}, pulled once and recorded. */
    private static Blob cachedLayer(String name, long size) throws Exception {
        Blob blob = pushedLayer(name, size);
        BlobDownload.Outcome pulled = new BlobDownload(registry, blob.path()).call();
        assertThat(pulled.isExactly(blob.digest(), blob.size())).as("filling the cache: %s", pulled).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRecordedExactly(blob));
        return blob;
    }

    /** One servable record for the blob, of its size, and the object behind it holds exactly its bytes. */
    private static void assertRecordedExactly(Blob blob) throws Exception {
        JsonNode records = stack.blobRecords(blob.groupId());
        assertThat(records).as("records of group %d", blob.groupId())
                .filteredOn(r -> r.get("digest").asText().equals(blob.digest())).singleElement()
                .satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("default"))
                .satisfies(r -> assertThat(r.get("size").asLong()).isEqualTo(blob.size()));
        Path object = stack.storedObject("dependency_proxy/" + blob.groupId() + "/blobs/sha256/"
                + Digests.hexOf(blob.digest()));
        assertThat(object).exists();
        assertThat(Digests.sha256(Files.readAllBytes(object))).isEqualTo(blob.digest());
    }

    private static void assertUnavailablePromptly(BlobDownload.Outcome outcome, String what) {
        assertThat(outcome.status()).as("%s: %s", what, outcome).isEqualTo(503);
        assertThat(outcome.body()).as(what).contains("\"UNAVAILABLE\"");
        assertThat(outcome.took()).as(what).isLessThan(PROMPTLY);
    }
}

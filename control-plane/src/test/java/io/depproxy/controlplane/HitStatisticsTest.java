package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.rootRegistryToken;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.cache.HitRecorder;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Hits are coalesced in memory and written in batches: every one of them still reaches the statistics and read_at. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class HitStatisticsTest {
    private static final int HITS = 40;
    private static final Duration FLUSH = Duration.ofSeconds(10);

    @Inject
    GroupStatisticsRepository statistics;
    @Inject
    EntityManager em;
    @Inject
    HitRecorder recorder;

    @Test
    void everyConcurrentHitIsCountedOnceTheBatchIsFlushed() throws Exception {
        String group = unique("hits");
        long groupId = createGroup(group, null);
        byte[] bytes = ("counted layer " + unique("x")).getBytes(StandardCharsets.UTF_8);
        String blobPath = path(group, "app", "blobs", Digests.sha256(bytes));
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);
        String token = rootRegistryToken();

        Callable<Integer> pull = () -> given().header("Authorization", "Bearer " + token).get(blobPath).statusCode();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (Future<Integer> hit : clients.invokeAll(Collections.nCopies(HITS, pull))) {
                assertThat(hit.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdown();
        }

        await("the scheduled flush wrote every hit").atMost(FLUSH).until(() ->
                QuarkusTransaction.requiringNew().call(() -> statistics.counters(groupId)).hits() == HITS);
        JsonPath api = given().header("PRIVATE-TOKEN", adminToken())
                .get("/api/v4/groups/" + groupId + "/dependency_proxy/statistics").then().statusCode(200)
                .extract().jsonPath();
        assertThat(api.getLong("cache_hits")).isEqualTo(HITS);
        assertThat(api.getLong("bytes_served_from_cache")).isEqualTo((long) HITS * bytes.length);
    }

    @Test
    void aHitMovesReadAtForwardOnceFlushed() {
        String group = unique("read-at");
        long groupId = createGroup(group, null);
        byte[] bytes = ("read layer " + unique("x")).getBytes(StandardCharsets.UTF_8);
        String blobPath = path(group, "app", "blobs", Digests.sha256(bytes));
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);
        TestSql.update(em, "UPDATE dependency_proxy_blobs SET read_at = now() - interval '10 days' WHERE group_id = ?1",
                groupId);
        String recent = "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1"
                + " AND read_at > now() - interval '1 minute'";

        given().header("Authorization", "Bearer " + rootRegistryToken()).get(blobPath).then().statusCode(200);

        await("read_at written by the scheduled flush").atMost(FLUSH)
                .until(() -> TestSql.count(em, recent, groupId) == 1);
    }

    @Test
    void aGroupDeletedBeforeTheFlushDoesNotHoldUpTheOthers() {
        String deleted = unique("gone");
        long deletedId = createGroup(deleted, null);
        given().header("PRIVATE-TOKEN", adminToken()).delete("/api/v4/groups/" + deletedId).then()
                .statusCode(anyOf(is(202), is(204)));
        await("the group is gone").atMost(FLUSH).until(() -> TestSql.count(em,
                "SELECT count(*) FROM namespaces WHERE id = ?1", deletedId) == 0);
        recorder.hit(deletedId, 10);
        recorder.miss(deletedId);
        String group = unique("still-counted");
        long groupId = createGroup(group, null);
        byte[] bytes = ("layer " + unique("x")).getBytes(StandardCharsets.UTF_8);
        String blobPath = path(group, "app", "blobs", Digests.sha256(bytes));
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);

        given().header("Authorization", "Bearer " + rootRegistryToken()).get(blobPath).then().statusCode(200);

        await("the other group's hit written").atMost(FLUSH).until(() ->
                QuarkusTransaction.requiringNew().call(() -> statistics.counters(groupId)).hits() == 1);
    }
}

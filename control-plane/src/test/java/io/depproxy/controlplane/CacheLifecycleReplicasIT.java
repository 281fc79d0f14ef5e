package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.support.ControlPlaneProcess;
import io.depproxy.controlplane.support.ReplicaBackends;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two control planes, each a separate process started from the packaged jar, against one PostgreSQL and one S3
 * server: their TTL jobs and deletion workers contend for the same records ({@code FOR UPDATE SKIP LOCKED}). Every
 * expired or purged record is removed exactly once (the replicas' deletion counters add up to the number of
 * records), both replicas take part, and the objects are gone from the S3 server.
 */
class CacheLifecycleReplicasIT {
    private static final String BUCKET = "dp-replicas";
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    private static final String DELETED = "dp_cleanup_records_deleted_total";
    private static final int EXPIRED = 120;
    private static final int FRESH = 10;
    private static final int PURGED = 300;

    private static ReplicaBackends backends;
    private static MinioClient minio;
    private static ControlPlaneProcess first;
    private static ControlPlaneProcess second;

    @BeforeAll
    static void startTwoReplicas() {
        backends = ReplicaBackends.start(BUCKET, ADMIN_TOKEN);
        Map<String, String> env = backends.environment(Map.of(
                "DP_TTL_JOB_INTERVAL", "1s",
                "DP_CLEANUP_INTERVAL", "1s",
                "DP_CLEANUP_WORKERS", "2",
                "DP_CLEANUP_BATCH_SIZE", "5"));
        first = ControlPlaneProcess.start("control-plane-a", env);
        second = ControlPlaneProcess.start("control-plane-b", env);
        minio = backends.minio();
    }

    @AfterAll
    static void stop() throws Exception {
        ReplicaBackends.closeAll(first, second, backends);
    }

    @Test
    void bothReplicasExpireAndPurgeEveryRecordExactlyOnce() throws Exception {
        long ttlGroup = createGroup(first, "ttl-" + UUID.randomUUID().toString().substring(0, 8));
        long purgeGroup = createGroup(second, "purge-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> expired = cache(ttlGroup, EXPIRED, 5);
        List<String> fresh = cache(ttlGroup, FRESH, 0);
        List<String> purged = cache(purgeGroup, PURGED, 0);

        given().baseUri(second.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("enabled", true, "ttl", 1))
                .put("/api/v4/groups/" + ttlGroup + "/dependency_proxy/ttl_policy").then().statusCode(200);
        CompletableFuture<Void> purgeOnFirst = CompletableFuture.runAsync(() -> purge(first, purgeGroup));
        purge(second, purgeGroup);
        purgeOnFirst.join();

        await("expired and purged records removed").atMost(Duration.ofSeconds(90)).until(() ->
                count("SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?", ttlGroup) == FRESH
                        && count("SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?", purgeGroup) == 0);
        assertThat(objectsUnder("dependency_proxy/" + purgeGroup + "/")).isZero();
        assertThat(expired).noneMatch(CacheLifecycleReplicasIT::exists);
        assertThat(fresh).allMatch(CacheLifecycleReplicasIT::exists);
        assertThat(purged).noneMatch(CacheLifecycleReplicasIT::exists);

        double byFirst = first.counter(DELETED, "kind=\"blob\"");
        double bySecond = second.counter(DELETED, "kind=\"blob\"");
        System.out.printf("records deleted: replica a %.0f, replica b %.0f%n", byFirst, bySecond);
        assertThat(byFirst + bySecond).as("each record deleted exactly once").isEqualTo(EXPIRED + PURGED);
        assertThat(byFirst).as("replica a took part").isPositive();
        assertThat(bySecond).as("replica b took part").isPositive();
    }

    private static long createGroup(ControlPlaneProcess replica, String path) {
        return given().baseUri(replica.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .formParam("name", path).formParam("path", path).post("/api/v4/groups")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void purge(ControlPlaneProcess replica, long groupId) {
        given().baseUri(replica.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN)
                .delete("/api/v4/groups/" + groupId + "/dependency_proxy/cache").then().statusCode(202);
    }

    /** {@code count} cached blobs: objects in S3 and records last read {@code daysAgo} days ago; returns the keys. */
    private static List<String> cache(long groupId, int count, int daysAgo) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection db = connect(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO dependency_proxy_blobs (group_id, file_name, digest, size, object_key, read_at)"
                        + " VALUES (?, ?, ?, ?, ?, now() - make_interval(days => ?))")) {
            for (int i = 0; i < count; i++) {
                byte[] bytes = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
                String digest = Digests.sha256(bytes);
                String key = ObjectKeys.blob(groupId, digest);
                backends.putObject(key, bytes);
                insert.setLong(1, groupId);
                insert.setString(2, Digests.hexOf(digest) + ".gz");
                insert.setString(3, digest);
                insert.setLong(4, bytes.length);
                insert.setString(5, key);
                insert.setInt(6, daysAgo);
                insert.addBatch();
                keys.add(key);
            }
            insert.executeBatch();
        }
        return keys;
    }

    private static Connection connect() throws SQLException {
        return backends.connect();
    }

    private static long count(String sql, long groupId) {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setLong(1, groupId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean exists(String key) {
        try {
            minio.statObject(StatObjectArgs.builder().bucket(BUCKET).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long objectsUnder(String prefix) throws Exception {
        long objects = 0;
        for (Result<Item> item : minio.listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix)
                .recursive(true).build())) {
            item.get();
            objects++;
        }
        return objects;
    }
}

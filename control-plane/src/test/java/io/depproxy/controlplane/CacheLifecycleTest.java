package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.authorize;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.manifestHit;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.depproxy.controlplane.lifecycle.TemporaryUploadSweeper;
import io.depproxy.controlplane.lifecycle.TtlExpiryService;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectListing;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestApi;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TTL job, the deletion workers and the temporary-upload sweep, against the real database and S3 server. The
 * workers also run in the background (schedule, purges of other tests), so outcomes are awaited, never raced.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class CacheLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    EntityManager em;
    @Inject
    ObjectStorage storage;
    @Inject
    ObjectListing listing;
    @Inject
    TtlExpiryService ttl;
    @Inject
    CleanupWorkers workers;
    @Inject
    TemporaryUploadSweeper sweeper;

    private static String storeBlob(String group, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, "app", "blobs", digest), bytes, null, null).then().statusCode(200);
        return digest;
    }

    private long blobRows(long groupId, String digest) {
        return TestSql.count(em, "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1 AND digest = ?2",
                groupId, digest);
    }

    private void age(long groupId, String digest, int days) {
        TestSql.update(em, "UPDATE dependency_proxy_blobs SET read_at = now() - make_interval(days => ?3)"
                + " WHERE group_id = ?1 AND digest = ?2", groupId, digest, days);
    }

    private boolean stored(String key) {
        return storage.stat(key).isPresent();
    }

    @Test
    void theTtlJobExpiresOnlyRecordsOlderThanAnEnabledPolicyAndTheWorkersDeleteThem() {
        String group = unique("ttl");
        long groupId = createGroup(group, null);
        String old = storeBlob(group, unique("old"));
        String fresh = storeBlob(group, unique("fresh"));
        age(groupId, old, 10);
        age(groupId, fresh, 3);
        String unpoliced = unique("nopolicy");
        long unpolicedId = createGroup(unpoliced, null);
        String kept = storeBlob(unpoliced, unique("kept"));
        age(unpolicedId, kept, 400);
        AdminApi.expireAfter(groupId, 7);

        assertThat(ttl.expire()).isGreaterThanOrEqualTo(1);
        await("the expired blob's object and row deleted").atMost(WAIT)
                .until(() -> !stored(ObjectKeys.blob(groupId, old)) && blobRows(groupId, old) == 0);
        assertThat(stored(ObjectKeys.blob(groupId, fresh))).isTrue();
        assertThat(blobRows(groupId, fresh)).isEqualTo(1);
        assertThat(stored(ObjectKeys.blob(unpolicedId, kept))).as("policy disabled").isTrue();
        assertThat(TestSql.count(em, "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1 AND status = 0",
                unpolicedId)).isEqualTo(1);
    }

    @Test
    void aRecordPendingDestructionIsNeverServedAndAFinalizeRevivesARecordSafely() {
        String group = unique("revive");
        long groupId = createGroup(group, null);
        String content = unique("layer");
        String digest = storeBlob(group, content);
        String blobPath = path(group, "app", "blobs", digest);
        TestSql.update(em, "UPDATE dependency_proxy_blobs SET status = 1 WHERE group_id = ?1", groupId);
        assertThat(injection(asRoot().get(blobPath))).isInstanceOf(SendDependency.class);

        storeBlob(group, content);
        TestSql.update(em, "UPDATE dependency_proxy_blobs SET status = 3, deletion_attempts = 3 WHERE group_id = ?1",
                groupId);
        assertThat(injection(asRoot().get(blobPath))).as("error records are not served")
                .isInstanceOf(SendDependency.class);
        storeBlob(group, content);
        assertThat(TestSql.<Object[]>list(em, "SELECT status, deletion_attempts FROM dependency_proxy_blobs"
                + " WHERE group_id = ?1", groupId)).singleElement()
                .satisfies(row -> assertThat(new long[] {((Number) row[0]).longValue(), ((Number) row[1]).longValue()})
                        .containsExactly(0, 0));
        SendUrl hit = (SendUrl) injection(asRoot().get(blobPath));
        assertThat(TestApi.get(hit.url()).body()).isEqualTo(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aManifestPendingDestructionIsNeverServedByTagOrByDigest() {
        String group = unique("pending");
        long groupId = createGroup(group, null);
        byte[] bytes = ("{\"pending\":\"" + unique("m") + "\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, "app", "manifests", digest), bytes, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        assertThat(manifestHit(asRoot().get(path(group, "app", "manifests", digest)), bytes, digest,
                MediaTypes.OCI_MANIFEST)).isEqualTo("hit");
        TestSql.update(em, "UPDATE dependency_proxy_manifests SET status = 1 WHERE group_id = ?1", groupId);
        assertThat(injection(asRoot().get(path(group, "app", "manifests", digest))))
                .isInstanceOf(SendDependency.class);
    }

    @Test
    void aFailingDeletionIsRetriedAndLeftInErrorAfterThreeAttempts() {
        long groupId = createGroup(unique("broken"), null);
        TestSql.update(em, "INSERT INTO dependency_proxy_blobs (group_id, file_name, digest, size, object_key, status)"
                + " VALUES (?1, 'broken.gz', 'sha256:broken', 1, 'dependency_proxy/broken/../key', 1)", groupId);
        String state = "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1 AND status = 3"
                + " AND deletion_attempts = 3";
        await("the record in status error after three failed deletions").atMost(WAIT).until(() -> {
            workers.drain();
            return TestSql.count(em, state, groupId) == 1;
        });
        workers.drain();
        assertThat(TestSql.count(em, state, groupId)).as("an error record is not retried").isEqualTo(1);
    }

    @Test
    void aManifestObjectSharedByAnotherServableRecordIsKept() {
        String group = unique("shared");
        long groupId = createGroup(group, null);
        byte[] bytes = ("{\"shared\":\"" + unique("m") + "\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, "app", "manifests", "latest"), bytes, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        storeThroughAccelerator(path(group, "app", "manifests", digest), bytes, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        TestSql.update(em, "UPDATE dependency_proxy_manifests SET status = 1 WHERE group_id = ?1"
                + " AND file_name = 'app:latest.json'", groupId);
        await("the tag record deleted").atMost(WAIT).until(() -> {
            workers.drain();
            return TestSql.count(em, "SELECT count(*) FROM dependency_proxy_manifests WHERE group_id = ?1", groupId) == 1;
        });
        assertThat(stored(ObjectKeys.manifest(groupId, digest))).isTrue();
        assertThat(manifestHit(asRoot().get(path(group, "app", "manifests", digest)), bytes, digest,
                MediaTypes.OCI_MANIFEST)).isEqualTo("hit");
    }

    @Test
    void deletingAGroupRemovesTheCachedObjectsOfItAndItsSubgroups() {
        String top = unique("gone");
        long topId = createGroup(top, null);
        long childId = createGroup("child", topId);
        String topBlob = storeBlob(top, unique("t"));
        String childBlob = storeBlob(top + "/child", unique("c"));
        List<String> keys = List.of(ObjectKeys.blob(topId, topBlob), ObjectKeys.blob(childId, childBlob));
        assertThat(keys).allMatch(this::stored);

        asAdmin().delete("/api/v4/groups/" + topId).then().statusCode(202);
        await("the objects of the group and its subgroup deleted").atMost(WAIT)
                .until(() -> keys.stream().noneMatch(this::stored));
        await("their records deleted").atMost(WAIT).until(() -> TestSql.count(em,
                "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id IN (?1, ?2)", topId, childId) == 0);
    }

    @Test
    void theTtlJobAlsoMarksRecordsLeftBehindByADeletedGroup() {
        TestSql.update(em, "INSERT INTO dependency_proxy_blobs (group_id, file_name, digest, size, object_key)"
                + " VALUES (987654321, 'orphan.gz', 'sha256:orphan', 1, 'dependency_proxy/987654321/blobs/orphan')");
        ttl.expire();
        await("the orphaned record deleted").atMost(WAIT).until(() -> TestSql.count(em,
                "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = 987654321") == 0);
    }

    @Test
    void temporaryUploadsNeverFinalizedAreSweptOnceOlderThanThePresignedUrls() {
        String group = unique("tmp");
        createGroup(group, null);
        byte[] bytes = "abandoned upload".getBytes(StandardCharsets.UTF_8);
        AuthorizeResponse authorized = authorize(path(group, "app", "blobs", Digests.sha256(bytes)),
                (long) bytes.length);
        assertThat(TestApi.put(authorized.remoteObject().storeUrl(), bytes).statusCode()).isEqualTo(200);
        String key = ObjectKeys.temporaryUpload(authorized.remoteObject().id());

        AuthorizeResponse multipart = authorize(path(group, "app", "manifests", "unfinished"), null);
        String multipartKey = ObjectKeys.temporaryUpload(multipart.remoteObject().id());
        assertThat(unfinishedMultipartUploads()).contains(multipartKey);

        sweeper.sweepOlderThan(Instant.now().minus(Duration.ofHours(4)));
        assertThat(stored(key)).as("younger than the expiry").isTrue();
        assertThat(sweeper.sweepOlderThan(Instant.now().plus(Duration.ofMinutes(1)))).isGreaterThanOrEqualTo(2);
        assertThat(stored(key)).isFalse();
        assertThat(unfinishedMultipartUploads()).doesNotContain(multipartKey);
    }

    private List<String> unfinishedMultipartUploads() {
        List<String> keys = new java.util.ArrayList<>();
        listing.forEachMultipartUpload(ObjectKeys.TEMPORARY_PREFIX, upload -> keys.add(upload.key()));
        return keys;
    }
}

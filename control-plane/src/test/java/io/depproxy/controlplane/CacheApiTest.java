package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class CacheApiTest {
    @Inject
    ObjectStorage storage;
    @InjectFakeRegistry
    FakeRegistry upstream;

    /** Stores {@code count} blobs of the given sizes through the accelerator's upload flow; returns their digests. */
    private static List<String> storeBlobs(String group, String image, int... sizes) {
        List<String> digests = new ArrayList<>();
        for (int size : sizes) {
            byte[] bytes = (unique("blob") + "x".repeat(size)).substring(0, size).getBytes(StandardCharsets.UTF_8);
            String digest = Digests.sha256(bytes);
            storeThroughAccelerator(path(group, image, "blobs", digest), bytes, null, null).then().statusCode(200);
            digests.add(digest);
        }
        return digests;
    }

    private static String storeManifest(String group, String image, String tag, byte[] bytes) {
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, image, "manifests", tag), bytes, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        return digest;
    }

    private static String url(long groupId, String what) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/" + what;
    }

    @Test
    void listsCachedBlobsAndManifestsPageByPage() {
        String group = unique("list");
        long groupId = createGroup(group, null);
        List<String> digests = storeBlobs(group, "alpine", 10, 20, 30);
        String manifest = storeManifest(group, "alpine", "3.19", "{\"schemaVersion\":2}".getBytes());

        Response first = asAdmin().queryParam("per_page", 2).get(url(groupId, "blobs"));
        first.then().statusCode(200).header("X-Total", "3").header("X-Total-Pages", "2").header("X-Page", "1")
                .header("X-Per-Page", "2").header("X-Next-Page", "2")
                .body("[0].digest", equalTo(digests.get(0))).body("[0].size", equalTo(10))
                .body("[0].file_name", equalTo(Digests.hexOf(digests.get(0)) + ".gz"))
                .body("[0].status", equalTo("default")).body("[0].read_at", notNullValue())
                .body("[0].created_at", notNullValue());
        assertThat(first.header("Link")).contains("page=2&per_page=2>; rel=\"next\"");
        asAdmin().queryParam("per_page", 2).queryParam("page", 2).get(url(groupId, "blobs"))
                .then().statusCode(200).header("X-Next-Page", "").body("[0].digest", equalTo(digests.get(2)));

        asAdmin().get(url(groupId, "manifests")).then().statusCode(200).header("X-Total", "1")
                .body("[0].image_name", equalTo("alpine")).body("[0].file_name", equalTo("alpine:3.19.json"))
                .body("[0].digest", equalTo(manifest)).body("[0].content_type", equalTo(MediaTypes.OCI_MANIFEST))
                .body("[0].status", equalTo("default"));
    }

    @Test
    void statisticsCountStoredObjectsHitsMissesAndBytes() {
        String group = unique("stats");
        long groupId = createGroup(group, null);
        List<String> digests = storeBlobs(group, "busybox", 100, 200);
        byte[] manifest = "{\"schemaVersion\":2,\"m\":1}".getBytes();
        storeManifest(group, "busybox", "1", manifest);
        asAdmin().get(url(groupId, "statistics")).then().statusCode(200)
                .body("manifest_count", equalTo(1)).body("blob_count", equalTo(2))
                .body("total_size_bytes", equalTo(300 + manifest.length))
                .body("bytes_fetched_upstream", equalTo(300 + manifest.length))
                .body("cache_hits", equalTo(0)).body("cache_misses", equalTo(0));

        asRoot().get(path(group, "busybox", "blobs", digests.get(1))).then().statusCode(200);
        asRoot().head(path(group, "busybox", "blobs", digests.get(0))).then().statusCode(200);
        String uncached = upstream.putBlob("library/busybox", unique("miss").getBytes());
        asRoot().get(path(group, "busybox", "blobs", uncached)).then().statusCode(200);
        asAdmin().get(url(groupId, "statistics")).then().statusCode(200)
                .body("cache_hits", equalTo(1)).body("bytes_served_from_cache", equalTo(200))
                .body("cache_misses", equalTo(1));
    }

    @Test
    void aPurgeAnswers202AndTheWorkersRemoveEveryObjectAndRecord() {
        String group = unique("purge");
        long groupId = createGroup(group, null);
        List<String> digests = storeBlobs(group, "redis", 5, 6);
        String manifest = storeManifest(group, "redis", "7", "{\"r\":7}".getBytes());
        List<String> keys = new ArrayList<>(digests.stream().map(d -> ObjectKeys.blob(groupId, d)).toList());
        keys.add(ObjectKeys.manifest(groupId, manifest));
        assertThat(keys).allMatch(key -> storage.stat(key).isPresent());

        asAdmin().delete(url(groupId, "cache")).then().statusCode(202);
        await("every object of the group deleted from S3").atMost(Duration.ofSeconds(20))
                .until(() -> keys.stream().noneMatch(key -> storage.stat(key).isPresent()));
        await("every record of the group deleted").atMost(Duration.ofSeconds(10))
                .until(() -> "0".equals(asAdmin().get(url(groupId, "blobs")).header("X-Total"))
                        && "0".equals(asAdmin().get(url(groupId, "manifests")).header("X-Total")));
        asAdmin().get(url(groupId, "statistics")).then().body("blob_count", equalTo(0))
                .body("manifest_count", equalTo(0)).body("total_size_bytes", equalTo(0));
        assertThat(injection(asRoot().get(path(group, "redis", "blobs", digests.get(0)))))
                .as("a purged blob is a miss").isInstanceOf(SendDependency.class);
    }

    @Test
    void membersReadTheCacheAndOnlyOwnersPurgeIt() {
        long groupId = createGroup(unique("roles"), null);
        String guest = memberWithToken(groupId, GroupMember.GUEST);
        String maintainer = memberWithToken(groupId, GroupMember.MAINTAINER);
        String owner = memberWithToken(groupId, GroupMember.OWNER);
        as(guest).get(url(groupId, "manifests")).then().statusCode(200);
        as(guest).get(url(groupId, "blobs")).then().statusCode(200);
        as(guest).get(url(groupId, "statistics")).then().statusCode(200);
        as(maintainer).delete(url(groupId, "cache")).then().statusCode(403);
        as(owner).delete(url(groupId, "cache")).then().statusCode(202);
        given().get(url(groupId, "blobs")).then().statusCode(401);
        asAdmin().delete(url(987654321, "cache")).then().statusCode(404);
        as(owner).get(url(createGroup(unique("not-mine"), null), "statistics")).then().statusCode(404);
    }
}

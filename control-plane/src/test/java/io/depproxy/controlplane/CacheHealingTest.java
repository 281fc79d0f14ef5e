package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.controlplane.domain.ObjectLocks;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.depproxy.controlplane.support.TestSql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records whose stored object is gone heal instead of answering 404: a moved tag with its upstream stopped at once,
 * an object deleted behind its record (reported by the accelerator through the send-url's {@code MissingUrl}), and a
 * report nobody should believe. With the decision cache on, as in production.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(CacheHealingTest.DecisionCacheOn.class)
class CacheHealingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class DecisionCacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dp.decision-cache-ttl", "5s");
        }
    }

    /** What a client would receive: the inline body or the bytes behind the send-url. */
    private record Served(int status, byte[] body, String cacheStatus) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    ObjectStorage storage;
    @Inject
    ObjectLocks locks;
    @Inject
    CleanupWorkers workers;
    @Inject
    EntityManager em;
    @Inject
    MeterRegistry meters;

    String group;
    long groupId;
    String image;
    String upstreamName;

    @BeforeEach
    void newGroupAndImage() {
        group = unique("healing");
        groupId = createGroup(group, null);
        image = unique("app");
        upstreamName = "library/" + image;
    }

    @Test
    void aMovedTagWithItsUpstreamStoppedAtOnceAnswersTheNewManifest() {
        String first = pullAndStoreTag("latest", "{\"v\":\"first\"}");
        String second = pullAndStoreTag("latest", "{\"v\":\"second\"}");
        await("the first manifest's object is deleted").atMost(WAIT).until(() -> {
            workers.drain();
            return storage.stat(ObjectKeys.manifest(groupId, first)).isEmpty();
        });

        upstream.failRepository(upstreamName, 503);
        Served served = serve(asRoot().get(manifestPath("latest")));

        assertThat(served.status()).as("not 404: the tag's record whose object exists").isEqualTo(200);
        assertThat(served.text()).isEqualTo("{\"v\":\"second\"}");
        assertThat(served.cacheStatus()).isEqualTo("stale");
        assertThat(storage.stat(ObjectKeys.manifest(groupId, second))).isPresent();
    }

    @Test
    void aSupersededRecordLeavesTheDecisionCacheWhenTheTagMoves() {
        String first = pullAndStoreTag("stable", "{\"v\":\"one\"}");
        asRoot().head(path(group, image, "manifests", first)).then().statusCode(200);

        pullAndStoreTag("stable", "{\"v\":\"two\"}");
        await("the first manifest's object is deleted").atMost(WAIT).until(() -> {
            workers.drain();
            return storage.stat(ObjectKeys.manifest(groupId, first)).isEmpty();
        });

        Injection byDigest = injection(asRoot().get(path(group, image, "manifests", first)).then().statusCode(200)
                .extract().response());
        assertThat(byDigest).as("a miss, not a hit on the superseded record's deleted object")
                .isInstanceOf(SendDependency.class);
    }

    @Test
    void aBlobDeletedBehindItsRecordIsFetchedAgainOnceReported() {
        byte[] bytes = ("layer " + image).getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putBlob(upstreamName, bytes);
        String blobPath = path(group, image, "blobs", digest);
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);
        SendUrl hit = (SendUrl) injection(asRoot().get(blobPath).then().statusCode(200).extract().response());
        assertThat(TestApi.get(hit.url()).body()).isEqualTo(bytes);
        double healedBefore = healed("blob");

        storage.delete(ObjectKeys.blob(groupId, digest));
        assertThat(TestApi.get(hit.url()).statusCode()).as("the presigned GET the accelerator makes").isEqualTo(404);
        report(hit).then().statusCode(204);

        Injection next = injection(asRoot().get(blobPath).then().statusCode(200).extract().response());
        assertThat(next).isInstanceOfSatisfying(SendDependency.class, fetch ->
                assertThat(fetch.url()).isEqualTo(upstream.baseUrl() + "/v2/" + upstreamName + "/blobs/" + digest));
        assertThat(servableRecords("dependency_proxy_blobs", ObjectKeys.blob(groupId, digest))).isZero();
        assertThat(healed("blob") - healedBefore).isEqualTo(1);
    }

    @Test
    void aManifestDeletedBehindItsRecordIsAMissOnceReportedOrStaleFromAnOlderRecordWhileTheUpstreamIsDown() {
        String first = pullAndStoreTag("v1", "{\"v\":\"older\"}");
        String olderKey = ObjectKeys.manifest(groupId, first);
        // the deletion workers have not got to the superseded record yet: its object is still there
        locks.withShared(olderKey, () -> {
            String second = pullAndStoreTag("v1", "{\"v\":\"newer\"}");
            String newerKey = ObjectKeys.manifest(groupId, second);
            storage.delete(newerKey);
            SendUrl hit = (SendUrl) injection(asRoot().get(manifestPath("v1")).then().statusCode(200).extract()
                    .response());
            assertThat(TestApi.get(hit.url()).statusCode()).isEqualTo(404);
            double healedBefore = healed("manifest");

            report(hit).then().statusCode(204);

            assertThat(servableRecords("dependency_proxy_manifests", newerKey)).isZero();
            assertThat(healed("manifest") - healedBefore).isEqualTo(1);
            upstream.failRepository(upstreamName, 503);
            Served stale = serve(asRoot().get(manifestPath("v1")));
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.text()).isEqualTo("{\"v\":\"older\"}");
            assertThat(stale.cacheStatus()).isEqualTo("stale");

            upstream.failRepository(upstreamName, 0);
            Injection next = injection(asRoot().get(manifestPath("v1")).then().statusCode(200).extract().response());
            assertThat(next).isInstanceOfSatisfying(SendDependency.class, fetch ->
                    assertThat(fetch.url()).endsWith("/v2/" + upstreamName + "/manifests/v1"));
            return null;
        });
    }

    @Test
    void aReportAboutAnObjectThatExistsChangesNothing() {
        byte[] bytes = ("kept " + image).getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putBlob(upstreamName, bytes);
        String blobPath = path(group, image, "blobs", digest);
        storeThroughAccelerator(blobPath, bytes, null, null).then().statusCode(200);
        String manifestDigest = pullAndStoreTag("kept", "{\"v\":\"kept\"}");
        SendUrl blobHit = (SendUrl) injection(asRoot().get(blobPath).then().statusCode(200).extract().response());
        double healedBefore = healed("blob") + healed("manifest");

        report(blobHit).then().statusCode(204);
        reportKey(ObjectKeys.manifest(groupId, manifestDigest)).then().statusCode(204);

        assertThat(injection(asRoot().get(blobPath).then().statusCode(200).extract().response()))
                .isInstanceOf(SendUrl.class);
        assertThat(serve(asRoot().get(manifestPath("kept"))).text()).isEqualTo("{\"v\":\"kept\"}");
        assertThat(servableRecords("dependency_proxy_blobs", ObjectKeys.blob(groupId, digest))).isOne();
        assertThat(servableRecords("dependency_proxy_manifests", ObjectKeys.manifest(groupId, manifestDigest)))
                .isOne();
        assertThat(healed("blob") + healed("manifest")).isEqualTo(healedBefore);
    }

    @Test
    void aReportNeedsTheInternalTokenAndTheKeyOfAStoredObject() {
        String key = ObjectKeys.blob(groupId, "sha256:" + "0".repeat(64));
        given().queryParam("key", key).post("/-/internal/missing-objects").then().statusCode(401);
        given().header(Headers.API_REQUEST, "forged").queryParam("key", key).post("/-/internal/missing-objects")
                .then().statusCode(401);
        for (String bad : new String[] {"tmp/uploads/abc", "dependency_proxy/1/blobs/sha256/../../x",
                "dependency_proxy/" + groupId + "/blobs/sha256/" + "0".repeat(63), ""}) {
            reportKey(bad).then().statusCode(400).body("errors[0].code", org.hamcrest.Matchers.equalTo("NAME_INVALID"));
        }
        reportKey(key).then().statusCode(204);
    }

    /** The upstream serves {@code json} as {@code tag}; a pull misses and the accelerator stores it. */
    private String pullAndStoreTag(String tag, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putManifest(upstreamName, tag, MediaTypes.OCI_MANIFEST, bytes);
        assertThat(injection(asRoot().get(manifestPath(tag)).then().statusCode(200).extract().response()))
                .isInstanceOf(SendDependency.class);
        storeThroughAccelerator(manifestPath(tag), bytes, digest, MediaTypes.OCI_MANIFEST).then().statusCode(200);
        return digest;
    }

    private String manifestPath(String tag) {
        return path(group, image, "manifests", tag);
    }

    /** The accelerator's report, to the address the send-url gave it. */
    private static Response report(SendUrl hit) {
        assertThat(hit.missingUrl()).as("the send-url says where to report").isNotNull();
        return given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).urlEncodingEnabled(false)
                .post(hit.missingUrl());
    }

    private static Response reportKey(String key) {
        return given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).queryParam("key", key)
                .post("/-/internal/missing-objects");
    }

    /** Resolves a registry answer the way the accelerator would: the inline body, or a GET of the send-url. */
    private static Served serve(Response response) {
        String sendData = response.header(Headers.SEND_DATA);
        if (response.statusCode() != 200 || sendData == null) {
            return new Served(response.statusCode(), response.asByteArray(), response.header(Headers.CACHE_STATUS));
        }
        SendUrl sendUrl = (SendUrl) SendDataCodec.decode(sendData);
        HttpResponse<byte[]> stored = TestApi.get(sendUrl.url());
        return new Served(stored.statusCode(), stored.body(), sendUrl.responseHeaders().first(Headers.CACHE_STATUS));
    }

    private long servableRecords(String table, String objectKey) {
        return TestSql.count(em, "SELECT count(*) FROM " + table + " WHERE object_key = ?1 AND status = 0", objectKey);
    }

    private double healed(String kind) {
        Counter counter = meters.find("dp_cache_healed_records_total").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }
}

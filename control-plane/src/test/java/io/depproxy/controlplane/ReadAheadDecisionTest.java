package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.coldBlobPath;
import static io.depproxy.controlplane.support.TestApi.authorize;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.put;
import static io.depproxy.controlplane.support.TestApi.uploaded;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The accelerator's blob read-ahead asks for a blob as the client would: the same decision, counted as
 * {@code read_ahead} and not as the group's miss; the mark is believed only next to a valid internal token. A blob it
 * stored before any client took it is still the miss of the first client that asks for it; one its client took on the
 * read-ahead's decision (without asking) is that client's miss when it is stored.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ReadAheadDecisionTest {
    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    MeterRegistry registry;

    @Test
    void aSignedReadAheadIsDecidedAsTheClientsRequestButCountedApart() {
        String blob = coldBlobPath(upstream, "ahead");
        double misses = decisions("miss");
        double readAheads = decisions("read_ahead");

        SendDependency ahead = (SendDependency) injection(asRoot().header(Headers.READ_AHEAD, "1")
                .header(Headers.API_REQUEST, internalJwt().apiRequestToken()).get(blob));
        SendDependency client = (SendDependency) injection(asRoot().get(blob));

        assertThat(asRoot().header(Headers.READ_AHEAD, "1").header(Headers.API_REQUEST,
                internalJwt().apiRequestToken()).get(blob).header(Headers.READ_AHEAD_REUSE))
                .as("with the decision cache off, the client asks for itself").isNull();
        assertThat(ahead.coalesce()).isEqualTo(client.coalesce());
        assertThat(ahead.url()).isEqualTo(client.url());
        assertThat(decisions("read_ahead")).isEqualTo(readAheads + 2);
        assertThat(decisions("miss")).isEqualTo(misses + 1);
    }

    @Test
    void aReadAheadMarkWithoutAValidInternalTokenIsAnOrdinaryMiss() {
        String blob = coldBlobPath(upstream, "ahead");
        double misses = decisions("miss");
        double readAheads = decisions("read_ahead");

        injection(asRoot().header(Headers.READ_AHEAD, "1").get(blob));
        injection(asRoot().header(Headers.READ_AHEAD, "1").header(Headers.API_REQUEST, "not-a-token").get(blob));

        assertThat(decisions("miss")).isEqualTo(misses + 2);
        assertThat(decisions("read_ahead")).isEqualTo(readAheads);
    }

    @Test
    void aBlobTheReadAheadStoredIsTheMissOfTheFirstClientGetAndAHitAfterThat() {
        GroupBlob stored = GroupBlob.create("ahead-stored");
        String blob = stored.blobPath();
        storeAheadOfClients(blob, stored.bytes());

        asRoot().head(blob).then().statusCode(200);
        assertThat(injection(asRoot().get(blob))).as("served from the cache all the same").isInstanceOf(SendUrl.class);
        assertThat(injection(asRoot().get(blob))).isInstanceOf(SendUrl.class);

        JsonPath statistics = statistics(stored.groupId());
        assertThat(statistics.getLong("cache_misses")).as("the first GET: the pull that brought it").isEqualTo(1);
        assertThat(statistics.getLong("cache_hits")).as("the second GET").isEqualTo(1);
        assertThat(statistics.getLong("bytes_served_from_cache")).isEqualTo(stored.bytes().length);
    }

    @Test
    void aClientThatTookTheReadAheadsDownloadOnItsDecisionIsTheMissWhenItIsStored() {
        GroupBlob taken = GroupBlob.create("ahead-taken");
        String blob = taken.blobPath();
        long groupId = taken.groupId();
        double misses = decisions("miss");

        store(blob, taken.bytes(), "joined");

        assertThat(decisions("miss")).isEqualTo(misses + 1);
        assertThat(statistics(groupId).getLong("cache_misses")).isEqualTo(1);
        assertThat(injection(asRoot().get(blob))).isInstanceOf(SendUrl.class);
        assertThat(statistics(groupId).getLong("cache_misses")).as("its next GET is a hit").isEqualTo(1);
        assertThat(statistics(groupId).getLong("cache_hits")).isEqualTo(1);
    }

    /** A new group and a blob of it nobody has stored yet. */
    private record GroupBlob(long groupId, String blobPath, byte[] bytes) {
        static GroupBlob create(String prefix) {
            String group = unique(prefix);
            long groupId = createGroup(group, null);
            byte[] bytes = unique("bytes").getBytes(StandardCharsets.UTF_8);
            return new GroupBlob(groupId, path(group, "app", "blobs", Digests.sha256(bytes)), bytes);
        }
    }

    private static JsonPath statistics(long groupId) {
        return given().header("PRIVATE-TOKEN", adminToken())
                .get("/api/v4/groups/" + groupId + "/dependency_proxy/statistics").then().statusCode(200)
                .extract().jsonPath();
    }

    /** What the accelerator does once a read-ahead download nobody joined is verified. */
    private static void storeAheadOfClients(String blob, byte[] bytes) {
        store(blob, bytes, "1");
    }

    /** A verified download stored, its finalize marked {@code readAhead}. */
    private static void store(String blob, byte[] bytes, String readAhead) {
        AuthorizeResponse authorized = authorize(blob, (long) bytes.length);
        assertThat(put(authorized.remoteObject().storeUrl(), bytes).statusCode()).isEqualTo(200);
        given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).header(Headers.READ_AHEAD, readAhead)
                .contentType("application/x-www-form-urlencoded")
                .body(FinalizeForm.encode(uploaded(authorized, bytes), blob + "/upload", TestApi.UPLOAD_GRACE,
                        internalJwt()))
                .post(blob + "/upload").then().statusCode(200);
    }


    private double decisions(String result) {
        var counter = registry.find("dp_cache_decisions_total").tag("kind", "blob").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}

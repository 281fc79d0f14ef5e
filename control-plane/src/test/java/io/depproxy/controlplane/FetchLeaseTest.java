package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendPeer;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide single flight on the control plane: of the accelerators that miss one blob at once, one is told to
 * fetch it (and holds the fetch lease), the others to stream it from that one (send-peer); the lease lives on the
 * fetcher's heartbeat, ends when the heartbeat no longer names it, when a relaying replica reports the peer gone, or
 * when it runs out (the fetcher died), and the next miss then fetches from the upstream again.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class FetchLeaseTest {
    private static final String PEER_A = "http://10.9.0.1:8090";
    private static final String PEER_B = "http://10.9.0.2:8090";
    private static final String PEER_C = "http://10.9.0.3:8090";

    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    EntityManager em;

    private record Blob(String path, String digest, String key) {
    }

    @Test
    void ofTwoConcurrentMissesOneFetchesAndTheOtherStreamsFromIt() throws Exception {
        Blob blob = coldBlob();
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Injection> fromA = CompletableFuture.supplyAsync(() -> awaitThenAsk(start, blob, PEER_A));
        CompletableFuture<Injection> fromB = CompletableFuture.supplyAsync(() -> awaitThenAsk(start, blob, PEER_B));
        start.countDown();
        List<Injection> answers = List.of(fromA.get(), fromB.get());

        assertThat(answers).filteredOn(SendDependency.class::isInstance).hasSize(1);
        assertThat(answers).filteredOn(SendPeer.class::isInstance).hasSize(1);
        String fetcher = answers.get(0) instanceof SendDependency ? PEER_A : PEER_B;
        SendPeer relay = (SendPeer) answers.stream().filter(SendPeer.class::isInstance).findFirst().orElseThrow();
        assertThat(relay.url()).isEqualTo(FetchLeases.peerFetchUrl(fetcher, blob.key()));
        assertThat(relay.digest()).isEqualTo(blob.digest());
        assertThat(relay.peerGoneUrl()).isEqualTo(FetchLeases.peerGoneUrl(fetcher, blob.key()));
        assertThat(relay.responseHeaders().first("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
        assertThat(relay.responseHeaders().first(Headers.CACHE_STATUS)).isEqualTo("miss");
        assertThat(relay.header().isEmpty()).as("the relaying accelerator signs its call itself").isTrue();

        // the fetcher asking again joins its own download; a third replica is sent to the fetcher too
        assertThat(ask(blob, fetcher)).isInstanceOf(SendDependency.class);
        assertThat(ask(blob, PEER_C)).isInstanceOfSatisfying(SendPeer.class,
                peer -> assertThat(peer.url()).startsWith(fetcher + "/"));
        assertThat(leaseRows(blob)).isEqualTo(1);
    }

    @Test
    void aPeerUrlWithoutAValidInternalTokenIsIgnored() {
        Blob blob = coldBlob();
        assertThat(ask(blob, PEER_A)).isInstanceOf(SendDependency.class);

        Injection forged = injection(asRoot().header(Headers.PEER_URL, PEER_B)
                .header(Headers.API_REQUEST, "not-a-token").get(blob.path()));
        Injection unsigned = injection(asRoot().header(Headers.PEER_URL, PEER_C).get(blob.path()));

        assertThat(forged).isInstanceOf(SendDependency.class);
        assertThat(unsigned).isInstanceOf(SendDependency.class);
        assertThat(holder(blob)).isEqualTo(PEER_A);
    }

    @Test
    void aLeaseThatRanOutIsTakenByTheNextMiss() {
        Blob blob = coldBlob();
        assertThat(ask(blob, PEER_A)).isInstanceOf(SendDependency.class);
        assertThat(ask(blob, PEER_B)).isInstanceOf(SendPeer.class);

        // A died: its heartbeat stopped, and the lease's time is up
        TestSql.update(em, "UPDATE fetch_leases SET expires_at = now() - interval '1 second' WHERE coalesce_key = ?1",
                blob.key());

        assertThat(ask(blob, PEER_B)).isInstanceOf(SendDependency.class);
        assertThat(holder(blob)).isEqualTo(PEER_B);
        assertThat(ask(blob, PEER_A)).isInstanceOfSatisfying(SendPeer.class,
                peer -> assertThat(peer.url()).startsWith(PEER_B + "/"));
    }

    @Test
    void theHeartbeatRenewsTheLeasesItNamesAndEndsTheSettledOnesItDoesNot() {
        Blob renewed = coldBlob();
        Blob finished = coldBlob();
        Blob justTaken = coldBlob();
        ask(renewed, PEER_A);
        ask(finished, PEER_A);
        TestSql.update(em, "UPDATE fetch_leases SET expires_at = now() + interval '5 seconds',"
                + " claimed_at = now() - interval '1 minute' WHERE coalesce_key IN (?1, ?2)", renewed.key(), finished.key());
        ask(justTaken, PEER_A);

        heartbeat(PEER_A, List.of(renewed.key())).then().statusCode(204);

        assertThat(leaseRows(renewed)).as("still downloaded: kept").isEqualTo(1);
        assertThat(TestSql.count(em, "SELECT count(*) FROM fetch_leases WHERE coalesce_key = ?1"
                + " AND expires_at > now() + interval '10 seconds'", renewed.key())).as("renewed").isEqualTo(1);
        assertThat(leaseRows(finished)).as("no longer downloaded: released").isZero();
        assertThat(leaseRows(justTaken)).as("its download may not have started yet").isEqualTo(1);
        assertThat(ask(finished, PEER_B)).isInstanceOf(SendDependency.class);
        assertThat(ask(renewed, PEER_B)).isInstanceOf(SendPeer.class);
    }

    @Test
    void aPeerReportedGoneLosesItsLeaseAndTheReporterFetchesItself() {
        Blob blob = coldBlob();
        ask(blob, PEER_A);
        SendPeer relay = (SendPeer) ask(blob, PEER_B);

        // a report naming another peer than the holder changes nothing
        given().urlEncodingEnabled(false).header(Headers.API_REQUEST, internalJwt().apiRequestToken())
                .post(FetchLeases.peerGoneUrl(PEER_C, blob.key())).then().statusCode(204);
        assertThat(holder(blob)).isEqualTo(PEER_A);

        given().urlEncodingEnabled(false).header(Headers.API_REQUEST, internalJwt().apiRequestToken())
                .post(relay.peerGoneUrl()).then().statusCode(204);

        assertThat(ask(blob, PEER_B)).isInstanceOf(SendDependency.class);
        assertThat(holder(blob)).isEqualTo(PEER_B);
    }

    @Test
    void theLeaseRoutesAreInternal() {
        Blob blob = coldBlob();
        ask(blob, PEER_A);
        given().contentType("application/json").body(Map.of("peer", PEER_A, "keys", List.of()))
                .post(FetchLeases.HEARTBEAT_PATH).then().statusCode(401);
        given().urlEncodingEnabled(false).post(FetchLeases.peerGoneUrl(PEER_A, blob.key())).then().statusCode(401);
        heartbeatBody(Map.of("peer", "not a url", "keys", List.of())).then().statusCode(400);
        assertThat(holder(blob)).isEqualTo(PEER_A);
    }

    @Test
    void aManifestByDigestIsSharedAsABlobIs() {
        String group = unique("leases");
        createGroup(group, null);
        String image = unique("m");
        byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
                .getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putManifest("library/" + image, "v1", MediaTypes.OCI_MANIFEST, manifest);
        String manifestPath = path(group, image, "manifests", digest);

        assertThat(injection(signed(PEER_A).get(manifestPath))).isInstanceOf(SendDependency.class);
        assertThat(injection(signed(PEER_B).get(manifestPath))).isInstanceOfSatisfying(SendPeer.class,
                peer -> assertThat(peer.digest()).isEqualTo(digest));
        // by tag the digest may move: fetched by each replica, as before
        assertThat(injection(signed(PEER_B).get(path(group, image, "manifests", "v1"))))
                .isInstanceOf(SendDependency.class);
    }

    private Blob coldBlob() {
        String group = unique("leases");
        long groupId = createGroup(group, null);
        String image = unique("blob");
        String digest = upstream.putBlob("library/" + image, unique("bytes").getBytes(StandardCharsets.UTF_8));
        String path = path(group, image, "blobs", digest);
        SendDependency plain = (SendDependency) injection(asRoot().get(path));
        assertThat(plain.coalesce()).startsWith("blob:" + groupId + ":");
        return new Blob(path, digest, plain.coalesce());
    }

    private static io.restassured.specification.RequestSpecification signed(String peer) {
        return asRoot().header(Headers.PEER_URL, peer).header(Headers.API_REQUEST, internalJwt().apiRequestToken());
    }

    private static Injection ask(Blob blob, String peer) {
        return injection(signed(peer).get(blob.path()));
    }

    private static Injection awaitThenAsk(CountDownLatch start, Blob blob, String peer) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return ask(blob, peer);
    }

    private static io.restassured.response.Response heartbeat(String peer, List<String> keys) {
        return heartbeatBody(Map.of("peer", peer, "keys", new ArrayList<>(keys)));
    }

    private static io.restassured.response.Response heartbeatBody(Map<String, Object> body) {
        return given().header(Headers.API_REQUEST, internalJwt().apiRequestToken()).contentType("application/json")
                .body(body).post(FetchLeases.HEARTBEAT_PATH);
    }

    private long leaseRows(Blob blob) {
        return TestSql.count(em, "SELECT count(*) FROM fetch_leases WHERE coalesce_key = ?1", blob.key());
    }

    private String holder(Blob blob) {
        List<String> holders = TestSql.list(em, "SELECT peer_url FROM fetch_leases WHERE coalesce_key = ?1"
                + " AND expires_at > now()", blob.key());
        return holders.isEmpty() ? null : holders.get(0);
    }
}

package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FaultyUpstream;
import io.depproxy.accelerator.support.FaultyUpstream.Fault;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A miss against an upstream that misbehaves at the TCP level: what the clients see and what is kept. A broken body
 * is never stored and never completes at a client; a slow but steady one is stored whatever the timeouts; a silent
 * one is given up within the stall timeout; an error before the body is answered in the registry's format.
 */
class UpstreamFaultTest extends AcceleratorTestBase {
    private static final int LENGTH = 256 * 1024;
    private static final String TEMP_KEY = "tmp/uploads/tmp-1";
    private FaultyUpstream faulty;
    private Buffer bytes;
    private String digest;

    @BeforeEach
    void startFaultyUpstream() {
        faulty = FaultyUpstream.start(vertx);
        bytes = randomBytes(LENGTH, 40);
        digest = digestOf(bytes);
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                Arguments.of("truncated", Fault.none().truncateAfter(LENGTH / 2)),
                Arguments.of("reset mid-body", Fault.none().resetAfter(LENGTH / 2)),
                Arguments.of("one byte corrupt", Fault.none().corruptByte(LENGTH - 10)),
                Arguments.of("Content-Length longer than the body", Fault.none().announce(LENGTH + 1000)),
                Arguments.of("Content-Length shorter than the body", Fault.none().announce(LENGTH - 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void aBrokenBodyFailsTheClientAndIsNeverStored(String name, Fault fault) {
        faulty.serve("/blob", bytes, fault);
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        assertStoredNothing();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void aBrokenBodyFailsEveryCoalescedClientAndIsNeverStored(String name, Fault fault) {
        Promise<Void> othersJoined = Promise.promise();
        faulty.holdBodiesUntil(othersJoined.future());
        faulty.serve("/blob", bytes, fault);
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        List<Future<ClientResponse>> pending = IntStream.range(0, 3)
                .mapToObj(i -> send(port, HttpMethod.GET, blobPath(digest), null)).toList();
        Await.await("the two other clients joined the download before its first byte")
                .until(() -> counted("accel_coalesced_waiters_total") == 2);
        othersJoined.complete();
        List<ClientResponse> responses = pending.stream().map(Await::result).toList();

        assertThat(responses).noneMatch(ClientResponse::completeOk);
        assertStoredNothing();
    }

    @Test
    void storesAMissSlowerThanEveryTimeout() {
        Duration bound = Duration.ofMillis(300);
        int slow = startAccelerator(withTimeouts(bound, bound, bound));
        Buffer large = randomBytes(1024 * 1024, 41);
        String largeDigest = digestOf(large);
        // 1 MiB at 400 KiB/s: about 2.5 s, eight times every timeout of this accelerator
        faulty.serve("/slow", large, Fault.none().throttle(400 * 1024));
        controlPlane.inject(blobPath(largeDigest), blobMissFrom(faulty.url("/slow"), largeDigest, "blob:1:" + largeDigest));

        ClientResponse response = call(slow, HttpMethod.GET, blobPath(largeDigest));

        assertThat(response.completed()).isTrue();
        assertThat(response.body()).isEqualTo(large);
        Await.await("finalized").until(() -> controlPlane.finalizeCalls().size() == 1);
        assertThat(store.object(TEMP_KEY)).isEqualTo(large);
        assertThat(faulty.gets("/slow")).isEqualTo(1);
    }

    @Test
    void aSilentUpstreamMidBodyEndsEveryClientWithinTheStallTimeout() {
        int stallBound = startAccelerator(withTimeouts(config.upstreamHeaderTimeout(), Duration.ofMillis(500),
                config.clientStallTimeout()));
        faulty.serve("/blob", bytes, Fault.none().stallAfter(LENGTH / 4, Duration.ofSeconds(120)));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));
        long start = System.nanoTime();

        List<ClientResponse> responses = IntStream.range(0, 3)
                .mapToObj(i -> send(stallBound, HttpMethod.GET, blobPath(digest), null)).toList()
                .stream().map(pending -> Await.result(pending, Duration.ofSeconds(10))).toList();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(responses).allSatisfy(response -> assertThat(response.completed()).isFalse());
        assertStoredNothing();
    }

    @Test
    void aSilentUpstreamEndsAPassThroughWithinTheStallTimeout() {
        int noRoom = startAccelerator(withTimeouts(config.upstreamHeaderTimeout(), Duration.ofMillis(500),
                config.clientStallTimeout()).toBuilder().spoolMaxBytes(LENGTH / 4).build());
        faulty.serve("/blob", bytes, Fault.none().stallAfter(LENGTH / 2, Duration.ofSeconds(120)));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = Await.result(send(noRoom, HttpMethod.GET, blobPath(digest), null), Duration.ofSeconds(10));

        assertThat(response.completed()).isFalse();
        assertThat(faulty.gets("/blob")).isEqualTo(1);
        assertThat(controlPlane.authorizeCalls()).isEmpty();
    }

    /**
     * The upstream resets right after its head. The client's head goes out with the upstream's (a miss waits for
     * nothing before it), so the client gets a reset stream, or an error status when the reset came first; never a
     * complete 200.
     */
    @RepeatedTest(10)
    void aDownloadThatFailsRightAfterTheUpstreamHeadNeverCompletesAtTheClient() {
        faulty.serve("/blob", bytes, Fault.none().resetAfter(0));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        if (response.status() != 200) {
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
        }
        assertStoredNothing();
    }

    @Test
    void answersUpstream429AsTooManyRequestsKeepingRetryAfter() {
        faulty.serve("/blob", bytes, Fault.status(429, "Retry-After", "17"));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("17");
        assertThat(response.bodyText()).contains("\"code\":\"TOOMANYREQUESTS\"");
        assertStoredNothing();
    }

    @ParameterizedTest(name = "upstream {0} -> {1}")
    @MethodSource("upstreamOutages")
    void answersAnUpstreamOutageAsUnavailable(int upstreamStatus, int clientStatus) {
        faulty.serve("/blob", bytes, Fault.status(upstreamStatus, "Retry-After", "5"));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(clientStatus);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
        assertStoredNothing();
    }

    /** The upstream refused the proxy's own credentials: the client holds a valid token, so no challenge (a loop). */
    @ParameterizedTest(name = "upstream {0}")
    @ValueSource(ints = {401, 403})
    void answersAnUpstreamRefusalAsNameUnknownWithoutAChallenge(int upstreamStatus) {
        faulty.serve("/blob", bytes, Fault.status(upstreamStatus, "WWW-Authenticate", "Bearer realm=\"x\""));
        controlPlane.inject(blobPath(digest), blobMissFrom(faulty.url("/blob"), digest, "blob:1:" + digest));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("WWW-Authenticate")).isNull();
        assertThat(response.bodyText()).contains("\"code\":\"NAME_UNKNOWN\"");
        assertStoredNothing();
    }

    static Stream<Arguments> upstreamOutages() {
        return Stream.of(Arguments.of(500, 502), Arguments.of(502, 502), Arguments.of(503, 503), Arguments.of(504, 502));
    }

    /** One upstream GET, nothing authorized, uploaded or finalized, and nothing left in the spool. */
    private void assertStoredNothing() {
        Await.await("the fetch and any store it began over")
                .until(() -> spoolIsEmpty() && shared.work().uploads() == 0);
        assertThat(counted("accel_uploads_finalized_total")).isZero();
        assertThat(faulty.gets("/blob")).isEqualTo(1);
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(store.object(TEMP_KEY)).isNull();
    }
}

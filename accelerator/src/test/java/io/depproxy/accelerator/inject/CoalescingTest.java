package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Concurrent misses for one Coalesce key share one upstream GET, across event loops. */
class CoalescingTest extends AcceleratorTestBase {
    private static final int CLIENTS = 8;

    @Override
    protected int instances() {
        return 2;
    }

    @Test
    void concurrentRequestsWithTheSameKeyShareOneUpstreamGet() {
        Buffer bytes = randomBytes(3 * 1024 * 1024 + 3, 20);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 256 * 1024, 10, this::allClientsAsked));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        List<ClientResponse> responses = getConcurrently(blobPath(digest));

        assertThat(upstream.gets("/blob")).isEqualTo(1);
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
        });
        Await.await("the one download stored and gone from the spool")
                .until(() -> storesEnded(1) && spoolIsEmpty());
        assertThat(store.requests("PUT")).hasSize(1);
        assertThat(controlPlane.finalizeCalls()).hasSize(1);
    }

    @Test
    void lateWaitersStillShareTheDownloadWhenNothingIsStored() {
        Buffer bytes = randomBytes(2 * 1024 * 1024, 23);
        String digest = digestOf(bytes);
        controlPlane.refuseAuthorize(403);
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 64 * 1024, 20, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        Future<ClientResponse> first = send(port, HttpMethod.GET, blobPath(digest), null);
        Await.await("the download started").until(() -> upstream.gets("/blob") == 1);
        List<ClientResponse> late = getConcurrently(blobPath(digest));

        assertThat(upstream.gets("/blob")).isEqualTo(1);
        assertThat(Await.result(first).body()).isEqualTo(bytes);
        assertThat(late).allSatisfy(response -> assertThat(response.body()).isEqualTo(bytes));
        Await.await("the store given up").until(() -> storesEnded(1));
        assertThat(controlPlane.authorizeCalls()).hasSize(1);
        assertThat(counted("accel_upload_failures_total")).isEqualTo(1);
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    @Test
    void everyWaiterFailsWhenTheSharedDownloadFails() {
        Buffer bytes = randomBytes(1024 * 1024, 21);
        String digest = digestOf(Buffer.buffer("something else"));
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 128 * 1024, 10, this::allClientsAsked));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        List<ClientResponse> responses = getConcurrently(blobPath(digest));

        assertThat(upstream.gets("/blob")).isEqualTo(1);
        assertThat(responses).noneMatch(ClientResponse::completeOk);
        Await.await("the store given up").until(() -> storesEnded(1));
        assertThat(counted("accel_verification_failures_total")).isEqualTo(1);
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    @Test
    void passesThroughWithoutStoringWhenTheSpoolIsFull() {
        int smallSpool = startAccelerator(config.toBuilder().spoolMaxBytes(1024 * 1024).build());
        Buffer bytes = randomBytes(2 * 1024 * 1024, 22);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        ClientResponse response = call(smallSpool, HttpMethod.GET, blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        Await.await("the pass-through over")
                .until(() -> counted("accel_spool_passthrough_total") == 1 && spoolIsEmpty());
        assertThat(storesEnded(0)).isTrue();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(spoolDir.toFile().list()).isEmpty();
    }

    @Test
    void passThroughOfACorruptBlobNeverCompletesAtTheClient() {
        int smallSpool = startAccelerator(config.toBuilder().spoolMaxBytes(1024 * 1024).build());
        Buffer bytes = randomBytes(2 * 1024 * 1024, 24);
        String digest = digestOf(bytes);
        Buffer corrupt = bytes.copy().setByte(bytes.length() - 3, (byte) ~bytes.getByte(bytes.length() - 3));
        upstream.serve("/blob", FakeUpstream.blob(corrupt));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        ClientResponse response = call(smallSpool, HttpMethod.GET, blobPath(digest));

        assertThat(response.completed()).isFalse();
        Await.await("the pass-through over")
                .until(() -> counted("accel_spool_passthrough_total") == 1 && spoolIsEmpty());
        assertThat(storesEnded(0)).isTrue();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(spoolDir.toFile().list()).isEmpty();
    }

    @Test
    void aRequestAfterTheDownloadEndedButBeforeFinalizeReturnedJoinsIt() {
        Promise<Void> commit = Promise.promise();
        controlPlane.holdFinalize(commit.future());
        Buffer bytes = randomBytes(1024 * 1024, 25);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("finalize sent").until(() -> controlPlane.finalizeCalls().size() == 1);
        ClientResponse late = get(blobPath(digest));
        commit.complete();

        assertThat(late.body()).isEqualTo(bytes);
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
        assertThat(controlPlane.finalizeCalls()).hasSize(1);
    }

    @Test
    void aRequestJustAfterFinalizeReturnedStillJoinsTheStoredDownload() {
        Buffer bytes = randomBytes(1024 * 1024, 26);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("finalize returned").until(() -> controlPlane.finalizeCalls().size() == 1
                && shared.work().uploads() == 0);
        ClientResponse decidedBeforeTheCommit = get(blobPath(digest));

        assertThat(decidedBeforeTheCommit.body()).isEqualTo(bytes);
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
        assertThat(controlPlane.finalizeCalls()).hasSize(1);
    }

    /** The upstream holds its answer until every other client joined the first one's download. */
    private boolean allClientsAsked() {
        return counted("accel_coalesced_waiters_total") >= CLIENTS - 1;
    }

    private List<ClientResponse> getConcurrently(String path) {
        List<Future<ClientResponse>> pending = IntStream.range(0, CLIENTS)
                .mapToObj(i -> send(port, HttpMethod.GET, path, null)).toList();
        return pending.stream().map(Await::result).toList();
    }
}

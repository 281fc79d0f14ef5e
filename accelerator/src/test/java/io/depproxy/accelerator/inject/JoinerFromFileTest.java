package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Clients that join a download behind the bytes kept in memory are served from the spool file (a zero-copy file send
 * on HTTP/1.1): every body is byte-exact, the last byte still waits for the verification, and a download that turns
 * out corrupt resets every one of them.
 */
class JoinerFromFileTest extends AcceleratorTestBase {
    /** Well past the recent bytes a download keeps in memory, so late clients read most of it from the file. */
    private static final int SIZE = 24 * 1024 * 1024 + 333;
    private static final int LATE_CLIENTS = 4;

    @Override
    protected int instances() {
        return 2;
    }

    @Test
    void clientsJoiningLateGetEveryByteFromTheFile() {
        Buffer bytes = randomBytes(SIZE, 71);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 512 * 1024, 5, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        Future<ClientResponse> first = send(port, HttpMethod.GET, blobPath(digest), null);
        Await.await("several mebibytes are spooled").until(() -> shared.spool().usedBytes() > 0
                && spoolBytesOnDisk() > 12 * 1024 * 1024);
        List<ClientResponse> late = joinNow(blobPath(digest));

        assertThat(Await.result(first).body()).isEqualTo(bytes);
        assertThat(late).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
        });
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
    }

    @Test
    void aClientJoiningAfterTheDownloadWasStoredGetsEveryByteFromTheFile() {
        Buffer bytes = randomBytes(SIZE, 72);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("finalize returned").until(() -> controlPlane.finalizeCalls().size() == 1
                && shared.work().uploads() == 0);
        ClientResponse joinedTheStoredDownload = get(blobPath(digest));

        assertThat(joinedTheStoredDownload.body()).isEqualTo(bytes);
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
    }

    @Test
    void everyClientReadingFromTheFileIsResetWhenTheDownloadIsCorrupt() {
        Buffer bytes = randomBytes(SIZE, 73);
        String digest = digestOf(Buffer.buffer("not these bytes"));
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 512 * 1024, 5, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        Future<ClientResponse> first = send(port, HttpMethod.GET, blobPath(digest), null);
        Await.await("several mebibytes are spooled").until(() -> spoolBytesOnDisk() > 12 * 1024 * 1024);
        List<ClientResponse> late = joinNow(blobPath(digest));

        assertThat(Await.result(first).completeOk()).isFalse();
        assertThat(late).noneMatch(ClientResponse::completeOk);
        assertThat(late).allSatisfy(response -> assertThat(response.body() == null
                || response.body().length() < SIZE).isTrue());
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("the store given up").until(() -> storesEnded(1));
        assertThat(counted("accel_verification_failures_total")).isEqualTo(1);
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }

    private List<ClientResponse> joinNow(String path) {
        List<Future<ClientResponse>> pending = IntStream.range(0, LATE_CLIENTS)
                .mapToObj(i -> send(port, HttpMethod.GET, path, null)).toList();
        return pending.stream().map(Await::result).toList();
    }

    private long spoolBytesOnDisk() {
        java.io.File[] files = spoolDir.toFile().listFiles((dir, name) -> name.endsWith(".spool"));
        long total = 0;
        for (java.io.File file : files == null ? new java.io.File[0] : files) {
            total += file.length();
        }
        return total;
    }
}

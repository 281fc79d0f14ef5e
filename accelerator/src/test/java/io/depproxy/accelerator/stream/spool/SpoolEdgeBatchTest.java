package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.CollectingWriteStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader at the writer's edge sends in batches worth a socket write, not one write per small batch of the writer;
 * a download that trickles still reaches it while it runs.
 */
class SpoolEdgeBatchTest {
    private static final int SMALL_WRITE = 4 * 1024;

    @TempDir
    Path dir;
    private Vertx vertx;
    private Context writerContext;
    private Spool spool;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        writerContext = vertx.getOrCreateContext();
        spool = new Spool(dir, 1L << 30, vertx.fileSystem(), 64L << 20);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void aReaderAtTheEdgeSendsInBatchesNotOneWritePerSmallBatchOnDisk() {
        Buffer bytes = randomBytes(8 << 20);
        SpoolEntry entry = spool.tryCreate(bytes.length());
        SpoolWriter writer = onWriter(() -> SpoolWriter.open(vertx, entry));
        CollectingWriteStream client = new CollectingWriteStream();
        Future<Void> sent = read(entry, client);

        // each 4 KiB goes to disk on its own before the next is written: 2048 batches, 2048 wake-ups of the reader
        onWriter(() -> writeOneAtATime(writer, bytes, 0));
        entry.markVerified(writer.sha256Hex());

        Await.result(sent);
        assertThat(client.bytes()).isEqualTo(bytes);
        assertThat(client.writes()).as("writes for %d batches on disk", bytes.length() / SMALL_WRITE)
                .isLessThan(bytes.length() / SMALL_WRITE / 4);
        entry.release();
    }

    @Test
    void aTrickleReachesTheReaderWhileTheDownloadRuns() {
        Buffer bytes = randomBytes(3 * SMALL_WRITE);
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = onWriter(() -> SpoolWriter.open(vertx, entry));
        CollectingWriteStream client = new CollectingWriteStream();
        Future<Void> sent = read(entry, client);

        onWriter(() -> writer.write(bytes.slice(0, SMALL_WRITE)));
        Await.await("the first bytes at once").until(() -> client.received() == SMALL_WRITE - 1);
        onWriter(() -> writer.write(bytes.slice(SMALL_WRITE, 3 * SMALL_WRITE)));

        // far less than a batch, and the download goes on: the reader sends it all the same, after a short delay
        Await.await("the trickle sent").until(() -> client.received() == 3 * SMALL_WRITE - 1);
        assertThat(sent.isComplete()).isFalse();
        onWriter(() -> writer.end());
        entry.markVerified(writer.sha256Hex());
        Await.result(sent);
        assertThat(client.bytes()).isEqualTo(bytes);
        entry.release();
    }

    private Future<Void> read(SpoolEntry entry, CollectingWriteStream client) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> sent = Promise.promise();
        context.runOnContext(v -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END)
                .compose(reader -> reader.sendTo(client)).onComplete(sent));
        return sent.future();
    }

    private Future<Void> writeOneAtATime(SpoolWriter writer, Buffer bytes, int offset) {
        if (offset >= bytes.length()) {
            return writer.end();
        }
        int end = Math.min(bytes.length(), offset + SMALL_WRITE);
        return writer.write(bytes.slice(offset, end)).compose(v -> writeOneAtATime(writer, bytes, end));
    }

    private <T> T onWriter(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        writerContext.runOnContext(v -> action.get().onComplete(promise));
        return Await.result(promise.future());
    }

    private static Buffer randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return Buffer.buffer(bytes);
    }
}

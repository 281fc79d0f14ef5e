package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer of a download: what reaches the disk, its digest, and the batches it goes in (a batch per network read
 * at link speed made two thread hops per read).
 */
class SpoolWriterTest {
    private static final int CHUNK = 1024;

    @TempDir
    Path dir;
    private Vertx vertx;
    private Context context;
    private Spool spool;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        spool = new Spool(dir, 64L << 20, vertx.fileSystem(), Spool.RECENT_BYTES_BUDGET);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void aTrickleOfSmallChunksGoesToDiskInBatchesNotOneBatchPerChunk() throws Exception {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        byte[] bytes = randomBytes(200 * CHUNK);
        // one chunk per millisecond, each after the batch before it was on disk: as the network hands a download over
        // at link speed
        Promise<Void> allWritten = Promise.promise();
        context.runOnContext(v -> {
            int[] next = {0};
            vertx.setPeriodic(1, timer -> {
                writer.write(Buffer.buffer(bytes).slice(next[0] * CHUNK, (next[0] + 1) * CHUNK));
                if (++next[0] == 200) {
                    vertx.cancelTimer(timer);
                    allWritten.complete();
                }
            });
        });
        Await.result(allWritten.future());
        Await.onContext(context, writer::end);

        assertThat(Files.readAllBytes(entry.file())).isEqualTo(bytes);
        assertThat(Await.onContext(context, () -> Future.succeededFuture(writer.sha256Hex()))).isEqualTo(sha256(bytes));
        // each batch on disk is one update of the entry: the first chunk alone, then one per 10 ms at most
        assertThat(entry.progress().version()).isBetween(2L, 60L);
    }

    @Test
    void theFirstChunkGoesAtOnceAndALoneSmallChunkWithinTheBatchDelay() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));

        Await.onContext(context, () -> writer.write(Buffer.buffer(randomBytes(CHUNK))));
        assertThat(entry.progress().written()).isEqualTo(CHUNK);

        context.runOnContext(v -> writer.write(Buffer.buffer(randomBytes(CHUNK))));
        Await.await("a small chunk that no more bytes follow reaches the disk")
                .until(() -> entry.progress().written() == 2 * CHUNK);
    }

    @Test
    void theEndWritesWhatWaitsForABatchAtOnce() throws Exception {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        byte[] bytes = randomBytes(3 * CHUNK);

        Await.onContext(context, () -> writer.write(Buffer.buffer(bytes).slice(0, CHUNK)));
        Await.onContext(context, () -> {
            writer.write(Buffer.buffer(bytes).slice(CHUNK, 2 * CHUNK));
            writer.write(Buffer.buffer(bytes).slice(2 * CHUNK, 3 * CHUNK));
            return writer.end();
        });

        assertThat(Files.readAllBytes(entry.file())).isEqualTo(bytes);
        assertThat(entry.progress().written()).isEqualTo(bytes.length);
        assertThat(writer.sha256Hex()).isEqualTo(sha256(bytes));
    }

    @Test
    void anAbortedWriterDropsWhatWaitsForABatch() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(Buffer.buffer(randomBytes(CHUNK))));
        AtomicReference<Future<Void>> late = new AtomicReference<>();

        Await.onContext(context, () -> {
            late.set(writer.write(Buffer.buffer(randomBytes(CHUNK))));
            writer.abort();
            return Future.succeededFuture();
        });

        Await.await("the waiting chunk's write fails").until(() -> late.get().failed());
        assertThat(entry.progress().written()).isEqualTo(CHUNK);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

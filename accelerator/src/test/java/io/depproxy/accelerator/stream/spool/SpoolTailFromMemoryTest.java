package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.CollectingWriteStream;
import io.depproxy.contracts.Digests;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers at the writer's edge are served the newest bytes from memory, the others from the file; either way every
 * byte arrives exactly once and in order, and the memory goes back to the shared budget. A reader at the edge sends
 * in batches worth a socket write, not once per small batch of the writer, and a trickle still reaches it.
 */
class SpoolTailFromMemoryTest {
    private static final long BUDGET = Spool.RECENT_BYTES_PER_DOWNLOAD + 1024 * 1024;
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
        spool = new Spool(dir, 1L << 30, vertx.fileSystem(), BUDGET);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void readersAtTheEdgeAndBehindItGetEveryByteOfDownloadsThatShareTheBudget() {
        Buffer first = randomBytes(24 << 20, 1);
        Buffer second = randomBytes(9 << 20, 2);
        SpoolEntry one = spool.tryCreate(first.length());
        SpoolEntry two = spool.tryCreate(second.length());
        SpoolWriter writerOne = Await.onContext(writerContext, () -> SpoolWriter.open(vertx, one));
        SpoolWriter writerTwo = Await.onContext(writerContext, () -> SpoolWriter.open(vertx, two));
        Reading edgeOne = Reading.start(vertx, one, false);
        Reading edgeTwo = Reading.start(vertx, two, true);

        Future<Void> doneOne = writeInChunks(writerOne, first, 3);
        Future<Void> doneTwo = writeInChunks(writerTwo, second, 4);
        Await.await("memory in use while the downloads run").until(() -> spool.recentBytesLeft() < BUDGET);
        Await.result(doneOne);
        Await.result(doneTwo);
        one.markVerified(writerOne.sha256Hex());
        two.markVerified(writerTwo.sha256Hex());
        Reading lateOne = Reading.start(vertx, one, false);

        assertThat(Digests.sha256(edgeOne.await().getBytes())).isEqualTo(Digests.sha256(first.getBytes()));
        assertThat(Digests.sha256(edgeTwo.await().getBytes())).isEqualTo(Digests.sha256(second.getBytes()));
        assertThat(Digests.sha256(lateOne.await().getBytes())).isEqualTo(Digests.sha256(first.getBytes()));
        assertThat("sha256:" + writerOne.sha256Hex()).isEqualTo(Digests.sha256(first.getBytes()));
        assertThat(spool.recentBytesLeft()).as("memory given back once verified and read").isEqualTo(BUDGET);
        one.release();
        two.release();
        Await.await("files deleted").until(() -> spool.usedBytes() == 0);
    }

    @Test
    void aFailedDownloadGivesItsMemoryBackAndFailsItsReader() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(writerContext, () -> SpoolWriter.open(vertx, entry));
        Reading edge = Reading.start(vertx, entry, false);
        Await.onContext(writerContext, () -> writer.write(randomBytes(3 << 20, 3)));
        Await.await("memory in use").until(() -> spool.recentBytesLeft() < BUDGET);

        entry.fail(new IllegalStateException("upstream reset"));

        assertThat(edge.failure()).hasMessage("upstream reset");
        assertThat(spool.recentBytesLeft()).isEqualTo(BUDGET);
    }

    @Test
    void aReaderAtTheEdgeSendsInBatchesNotOneWritePerSmallBatchOnDisk() throws IOException {
        Buffer bytes = randomBytes(8 << 20, 5);
        SpoolEntry entry = spool.tryCreate(bytes.length());
        Reading edge = Reading.start(vertx, entry, false);

        // each 4 KiB goes to disk on its own before the next is written: 2048 batches, 2048 wake-ups of the reader
        // (the spool's own writer gathers small network reads into larger batches; a reader must not rely on it)
        try (FileChannel file = FileChannel.open(entry.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int offset = 0; offset < bytes.length(); offset += SMALL_WRITE) {
                Buffer batch = bytes.slice(offset, offset + SMALL_WRITE);
                file.write(ByteBuffer.wrap(batch.getBytes()));
                entry.advance(SMALL_WRITE, List.of(batch));
            }
        }
        entry.markVerified(Digests.hexOf(Digests.sha256(bytes.getBytes())));

        assertThat(edge.await()).isEqualTo(bytes);
        assertThat(edge.destination().writes()).as("writes for %d batches on disk", bytes.length() / SMALL_WRITE)
                .isLessThan(bytes.length() / SMALL_WRITE / 4);
        entry.release();
    }

    @Test
    void aTrickleReachesTheReaderAtTheEdgeWhileTheDownloadRuns() {
        Buffer bytes = randomBytes(3 * SMALL_WRITE, 6);
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(writerContext, () -> SpoolWriter.open(vertx, entry));
        Reading edge = Reading.start(vertx, entry, false);

        Await.onContext(writerContext, () -> writer.write(bytes.slice(0, SMALL_WRITE)));
        Await.await("the first bytes at once").until(() -> edge.destination().received() == SMALL_WRITE - 1);
        Await.onContext(writerContext, () -> writer.write(bytes.slice(SMALL_WRITE, 3 * SMALL_WRITE)));

        // far less than a batch, and the download goes on: the reader sends it all the same, after a short delay
        Await.await("the trickle sent").until(() -> edge.destination().received() == 3 * SMALL_WRITE - 1);
        assertThat(edge.sent().isComplete()).isFalse();
        Await.onContext(writerContext, () -> writer.end());
        entry.markVerified(writer.sha256Hex());
        assertThat(edge.await()).isEqualTo(bytes);
        entry.release();
    }

    /** Writes {@code bytes} in chunks of random sizes (up to 256 KiB) at the pace the writer accepts, then ends. */
    private Future<Void> writeInChunks(SpoolWriter writer, Buffer bytes, long seed) {
        Random random = new Random(seed);
        Promise<Void> done = Promise.promise();
        var pacer = new Object() {
            int offset;

            void next() {
                while (offset < bytes.length()) {
                    int length = Math.min(bytes.length() - offset, 1 + random.nextInt(256 * 1024));
                    writer.write(bytes.slice(offset, offset + length));
                    offset += length;
                    if (writer.writeQueueFull()) {
                        writer.drainHandler(v -> next());
                        return;
                    }
                }
                writer.end().onComplete(done);
            }
        };
        writerContext.runOnContext(v -> pacer.next());
        return done.future();
    }

    private static Buffer randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return Buffer.buffer(bytes);
    }

    /** A reader on its own event loop; a slow one stops and starts its destination as a congested socket would. */
    private record Reading(CollectingWriteStream destination, Future<Void> sent) {
        static Reading start(Vertx vertx, SpoolEntry entry, boolean slow) {
            Context context = vertx.getOrCreateContext();
            CollectingWriteStream destination = new CollectingWriteStream();
            Promise<Void> sent = Promise.promise();
            context.runOnContext(v -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END)
                    .compose(reader -> reader.sendTo(destination))
                    .onComplete(sent));
            if (slow) {
                Random random = new Random(7);
                vertx.setPeriodic(5, id -> context.runOnContext(x -> destination.full(random.nextInt(3) == 0)));
                sent.future().onComplete(ar -> context.runOnContext(x -> destination.full(false)));
            }
            return new Reading(destination, sent.future());
        }

        Buffer await() {
            Await.result(sent);
            return destination.bytes();
        }

        Throwable failure() {
            return Await.result(sent.transform(ar -> Future.succeededFuture(ar.cause())));
        }
    }
}

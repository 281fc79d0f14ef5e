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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolReaderTest {
    private static final int CHUNK = SpoolReader.CHUNK;

    @TempDir
    Path dir;
    private Vertx vertx;
    private Context context;
    private Spool spool;
    private final CollectingWriteStream destination = new CollectingWriteStream();
    private final Promise<Void> sent = Promise.promise();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        spool = new Spool(dir, 64L << 20, vertx.fileSystem());
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void tailsTheWriterButWithholdsTheLastByteUntilVerified() {
        SpoolEntry entry = spool.tryCreate(1000);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(600, 1)));
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        send(reader);
        Await.await("the first 599 bytes").until(() -> destination.received() == 599);

        Await.onContext(context, () -> writer.write(bytes(400, 2)).compose(v -> writer.end()));
        Await.await("all but the last byte").until(() -> destination.received() == 999);
        afterQueuedTasks();
        assertThat(sent.future().isComplete()).isFalse();

        entry.markVerified("00");
        Await.result(sent.future());
        assertThat(destination.bytes()).isEqualTo(bytes(600, 1).appendBuffer(bytes(400, 2)));
        assertThat(writer.sha256Hex()).isEqualTo(Digests.hexOf(Digests.sha256(destination.bytes().getBytes())));
        assertEverythingReleased(entry);
    }

    @Test
    void failsItsReadersWhenTheDownloadFails() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(100, 3)));
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        send(reader);
        Await.await("bytes before the failure").until(() -> destination.received() == 99);

        entry.fail(new IllegalStateException("digest mismatch"));

        assertThat(failureOf(sent.future())).hasMessage("digest mismatch");
        assertEverythingReleased(entry);
    }

    @Test
    void failsAReaderWhoseDestinationIsFullAsSoonAsTheDownloadFails() {
        SpoolEntry entry = writtenEntry(4 * CHUNK);
        destination.full(true);
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        send(reader);
        Await.await("the copy stopped at the full destination").until(destination::awaitedDrain);

        entry.fail(new IllegalStateException("upstream closed the connection"));

        assertThat(failureOf(sent.future())).hasMessage("upstream closed the connection");
        assertThat(destination.received()).as("at most the chunk that found the destination full")
                .isLessThanOrEqualTo(CHUNK);
        assertEverythingReleased(entry);
    }

    @Test
    void failsACopyStartedAfterTheDownloadFailed() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(100, 7)));
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));

        entry.fail(new IllegalStateException("upstream closed the connection"));
        send(reader);

        assertThat(failureOf(sent.future())).hasMessage("upstream closed the connection");
        assertThat(destination.received()).isZero();
    }

    @Test
    void writesAtMostAChunkWhileTheDestinationIsFullAndTheRestOnDrain() {
        SpoolEntry entry = completeEntry(3 * CHUNK + 5);
        destination.full(true);
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        send(reader);
        Await.await("the copy stopped at the full destination").until(destination::awaitedDrain);
        afterQueuedTasks();
        assertThat(destination.received()).isLessThanOrEqualTo(CHUNK);

        context.runOnContext(v -> destination.full(false));

        Await.result(sent.future());
        assertThat(destination.bytes()).isEqualTo(bytes(3 * CHUNK + 5, 5));
        assertEverythingReleased(entry);
    }

    @Test
    void handsOverAtMostMaxInFlightBytesTheDestinationHasNotWrittenOut() {
        SpoolEntry entry = completeEntry(12 * CHUNK);
        destination.holdWrites();
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        send(reader);
        Await.await("the bound handed over").until(() -> destination.unwritten() >= SpoolReader.MAX_IN_FLIGHT);
        afterQueuedTasks();

        assertThat(destination.unwritten()).as("and no more").isEqualTo(SpoolReader.MAX_IN_FLIGHT);
        context.runOnContext(v -> destination.completeWrites());
        Await.result(sent.future());
        assertThat(destination.bytes()).isEqualTo(bytes(12 * CHUNK, 5));
        assertEverythingReleased(entry);
    }

    @Test
    void readsAWindowWithoutWaitingForVerificationWhenItEndsBeforeTheLastByte() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(1000, 4)));
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 100, 600));
        send(reader);

        Await.result(sent.future());
        assertThat(destination.bytes()).isEqualTo(bytes(1000, 4).slice(100, 600));
    }

    @Test
    void writerHashesCountsAndStoresEveryChunkInOrder() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Buffer all = Buffer.buffer();
        Promise<Void> written = Promise.promise();
        context.runOnContext(v -> {
            Future<Void> last = Future.succeededFuture();
            for (int i = 0; i < 200; i++) {
                Buffer chunk = bytes(8192 + i, i);
                all.appendBuffer(chunk);
                last = writer.write(chunk);
            }
            last.compose(x -> writer.end()).onComplete(written);
        });

        Await.result(written.future());
        assertThat(writer.count()).isEqualTo(all.length());
        assertThat(entry.progress().written()).isEqualTo(all.length());
        assertThat(writer.sha256Hex()).isEqualTo(Digests.hexOf(Digests.sha256(all.getBytes())));
        assertThat(Buffer.buffer(readFile(entry))).isEqualTo(all);
    }

    @Test
    void deletesTheFileWhenReleasedAndTheLastReaderCloses() {
        SpoolEntry entry = completeEntry(1000);
        SpoolReader reader = Await.onContext(context, () -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));

        entry.release();
        assertThat(Files.exists(entry.file())).isTrue();
        context.runOnContext(v -> reader.close());

        Await.await("file deleted").until(() -> !Files.exists(entry.file()) && spool.usedBytes() == 0);
        assertThat(onContextFailure(() -> SpoolReader.open(vertx, entry, 0, 1)))
                .isInstanceOf(SpoolEntryGoneException.class);
    }

    @Test
    void refusesEntriesBeyondItsBudget() {
        Spool small = new Spool(dir, 1000, vertx.fileSystem());

        assertThat(small.tryCreate(600)).isNotNull();
        assertThat(small.tryCreate(600)).isNull();
        assertThat(small.tryCreate(-1)).isNotNull();
        assertThat(small.usedBytes()).isEqualTo(600);
    }

    /** Written but not verified: the download is still in progress. */
    private SpoolEntry writtenEntry(int length) {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(length, 8)));
        return entry;
    }

    private SpoolEntry completeEntry(int length) {
        SpoolEntry entry = spool.tryCreate(length);
        SpoolWriter writer = Await.onContext(context, () -> SpoolWriter.open(vertx, entry));
        Await.onContext(context, () -> writer.write(bytes(length, 5)).compose(v -> writer.end()));
        entry.markVerified(writer.sha256Hex());
        return entry;
    }

    private void send(SpoolReader reader) {
        context.runOnContext(v -> reader.sendTo(destination).onComplete(sent));
    }

    private static Throwable failureOf(Future<?> future) {
        return Await.result(future.transform(ar -> Future.succeededFuture(ar.cause())));
    }

    /** The reader let go of the file: once the owner releases it too, it is deleted. */
    private void assertEverythingReleased(SpoolEntry entry) {
        entry.release();
        Await.await("file deleted").until(() -> !Files.exists(entry.file()));
    }

    private static byte[] readFile(SpoolEntry entry) {
        try {
            return Files.readAllBytes(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns once every task queued on the test's context so far has run: the reader, its copy and the writer all
     * work there, so whatever they were going to do with what they had by now, they did.
     */
    private void afterQueuedTasks() {
        Promise<Void> ran = Promise.promise();
        context.runOnContext(v -> ran.complete());
        Await.result(ran.future());
    }

    private Throwable onContextFailure(Supplier<Future<?>> action) {
        return Await.onContext(context,
                () -> action.get().<Throwable>transform(ar -> Future.succeededFuture(ar.cause())));
    }

    private static Buffer bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return Buffer.buffer(bytes);
    }
}

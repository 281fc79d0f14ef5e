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
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolReaderTest {
    private static final int CHUNK = 128 * 1024;

    @TempDir
    Path dir;
    private Vertx vertx;
    private Context context;
    private Spool spool;
    private final Buffer received = Buffer.buffer();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

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
        SpoolWriter writer = onContext(() -> SpoolWriter.open(vertx, entry));
        onContext(() -> writer.write(bytes(600, 1)));
        SpoolReader reader = onContext(() -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        collect(reader);
        Await.until("the first 599 bytes", () -> received() == 599);

        onContext(() -> writer.write(bytes(400, 2)).compose(v -> writer.end()));
        Await.until("all but the last byte", () -> received() == 999);
        Await.quietPeriod(100);
        assertThat(ended).isFalse();

        entry.markVerified("00");
        Await.until("the end", ended::get);
        assertThat(received()).isEqualTo(1000);
    }

    @Test
    void failsItsReadersWhenTheDownloadFails() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = onContext(() -> SpoolWriter.open(vertx, entry));
        onContext(() -> writer.write(bytes(100, 3)));
        SpoolReader reader = onContext(() -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        collect(reader);
        Await.until("bytes before the failure", () -> received() == 99);

        entry.fail(new IllegalStateException("digest mismatch"));

        Await.until("the failure", () -> failure.get() != null);
        assertThat(failure.get()).hasMessage("digest mismatch");
        assertThat(ended).isFalse();
    }

    @Test
    void deliversNothingWhilePausedAndOneChunkPerFetch() {
        SpoolEntry entry = completeEntry(3 * CHUNK);
        SpoolReader reader = onContext(() -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));
        context.runOnContext(v -> {
            reader.pause();
            collect(reader);
        });
        Await.quietPeriod(100);
        assertThat(received()).isZero();

        context.runOnContext(v -> reader.fetch(1));
        Await.until("one chunk", () -> received() == CHUNK);
        Await.quietPeriod(100);
        assertThat(received()).isEqualTo(CHUNK);

        context.runOnContext(v -> reader.resume());
        Await.until("the rest", ended::get);
        assertThat(received()).isEqualTo(3 * CHUNK);
    }

    @Test
    void readsAWindowWithoutWaitingForVerificationWhenItEndsBeforeTheLastByte() {
        SpoolEntry entry = spool.tryCreate(-1);
        SpoolWriter writer = onContext(() -> SpoolWriter.open(vertx, entry));
        onContext(() -> writer.write(bytes(1000, 4)));
        SpoolReader reader = onContext(() -> SpoolReader.open(vertx, entry, 100, 600));
        collect(reader);

        Await.until("the window", ended::get);
        assertThat(received()).isEqualTo(500);
    }

    @Test
    void deletesTheFileWhenReleasedAndTheLastReaderCloses() {
        SpoolEntry entry = completeEntry(1000);
        SpoolReader reader = onContext(() -> SpoolReader.open(vertx, entry, 0, SpoolReader.TO_THE_END));

        entry.release();
        assertThat(Files.exists(entry.file())).isTrue();
        context.runOnContext(v -> reader.close());

        Await.until("file deleted", () -> !Files.exists(entry.file()) && spool.usedBytes() == 0);
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

    private SpoolEntry completeEntry(int length) {
        SpoolEntry entry = spool.tryCreate(length);
        SpoolWriter writer = onContext(() -> SpoolWriter.open(vertx, entry));
        onContext(() -> writer.write(bytes(length, 5)).compose(v -> writer.end()));
        entry.markVerified(writer.sha256Hex());
        return entry;
    }

    private void collect(SpoolReader reader) {
        reader.exceptionHandler(failure::set).endHandler(v -> ended.set(true));
        reader.handler(chunk -> {
            synchronized (received) {
                received.appendBuffer(chunk);
            }
        });
    }

    private int received() {
        synchronized (received) {
            return received.length();
        }
    }

    private <T> T onContext(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return Await.result(promise.future());
    }

    private Throwable onContextFailure(Supplier<Future<?>> action) {
        Promise<Throwable> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(ar -> promise.complete(ar.cause())));
        return Await.result(promise.future());
    }

    private static Buffer bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return Buffer.buffer(bytes);
    }
}

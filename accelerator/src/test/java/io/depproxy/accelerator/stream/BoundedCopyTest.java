package io.depproxy.accelerator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ChunkSource;
import io.depproxy.accelerator.support.CollectingWriteStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BoundedCopyTest {
    private static final int CHUNK = 64 * 1024;

    private Vertx vertx;
    private Context context;
    private final CollectingWriteStream destination = new CollectingWriteStream();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void copiesEverythingInOrderAndCompletesWhenTheSourceEnds() {
        List<Buffer> chunks = chunks(20);

        Await.result(copy(new ChunkSource(context, chunks, null)));

        assertThat(destination.bytes()).isEqualTo(joined(chunks));
    }

    @Test
    void pausesTheSourceWhileMaxInFlightBytesAreNotWrittenOut() {
        List<Buffer> chunks = chunks(40);
        ChunkSource source = new ChunkSource(context, chunks, null);
        destination.holdWrites();

        Future<Void> copied = copy(source);
        Await.await("the bound handed over").until(() -> destination.unwritten() >= BoundedCopy.MAX_IN_FLIGHT);
        afterQueuedTasks();

        assertThat(destination.unwritten()).isBetween(BoundedCopy.MAX_IN_FLIGHT, BoundedCopy.MAX_IN_FLIGHT + CHUNK);
        assertThat(source.emitted()).isLessThan(chunks.size());
        context.runOnContext(v -> destination.completeWrites());
        Await.result(copied);
        assertThat(destination.bytes()).isEqualTo(joined(chunks));
    }

    @Test
    void failsWhenTheSourceFails() {
        ChunkSource source = new ChunkSource(context, chunks(3), new IllegalStateException("connection closed"));

        Throwable failure = Await.result(copy(source).transform(ar -> Future.succeededFuture(ar.cause())));

        assertThat(failure).hasMessage("connection closed");
    }

    @Test
    void failsWhenTheDestinationFails() {
        destination.holdWrites();
        Future<Void> copied = copy(new ChunkSource(context, chunks(40), null));
        Await.await("the copy to be writing").until(() -> destination.unwritten() > 0);

        context.runOnContext(v -> destination.breakDown(new IllegalStateException("client gone")));

        Throwable failure = Await.result(copied.transform(ar -> Future.succeededFuture(ar.cause())));
        assertThat(failure).hasMessage("client gone");
    }

    /**
     * Returns once every task queued on the test's context so far has run: the source and the copy both work
     * there, so whatever they were going to do with what they had by now, they did.
     */
    private void afterQueuedTasks() {
        Promise<Void> ran = Promise.promise();
        context.runOnContext(v -> ran.complete());
        Await.result(ran.future());
    }

    private Future<Void> copy(ChunkSource source) {
        Promise<Void> copied = Promise.promise();
        context.runOnContext(v -> BoundedCopy.copy(source, destination).onComplete(copied));
        return copied.future();
    }

    private static List<Buffer> chunks(int count) {
        Random random = new Random(count);
        return IntStream.range(0, count).mapToObj(i -> {
            byte[] bytes = new byte[CHUNK];
            random.nextBytes(bytes);
            return Buffer.buffer(bytes);
        }).toList();
    }

    private static Buffer joined(List<Buffer> chunks) {
        Buffer all = Buffer.buffer();
        chunks.forEach(all::appendBuffer);
        return all;
    }
}

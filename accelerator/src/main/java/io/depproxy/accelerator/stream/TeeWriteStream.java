package io.depproxy.accelerator.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Writes every chunk to {@code primary} and to {@code copy}. The source goes at the pace of the slower of the two
 * (either one's full queue pauses it); ending and failures are the primary's alone: the copy's outcome is its own
 * business, and a copy that gives up must stop reporting a full queue.
 */
public final class TeeWriteStream implements WriteStream<Buffer> {
    private final WriteStream<Buffer> primary;
    private final WriteStream<Buffer> copy;

    public TeeWriteStream(WriteStream<Buffer> primary, WriteStream<Buffer> copy) {
        this.primary = primary;
        this.copy = copy;
    }

    @Override
    public Future<Void> write(Buffer data) {
        copy.write(data);
        return primary.write(data);
    }

    @Override
    public Future<Void> end() {
        return primary.end();
    }

    @Override
    public TeeWriteStream exceptionHandler(Handler<Throwable> handler) {
        primary.exceptionHandler(handler);
        return this;
    }

    @Override
    public TeeWriteStream setWriteQueueMaxSize(int maxSize) {
        primary.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return primary.writeQueueFull() || copy.writeQueueFull();
    }

    /** Called when either side drains; the caller checks {@link #writeQueueFull()} again. */
    @Override
    public TeeWriteStream drainHandler(Handler<Void> handler) {
        primary.drainHandler(handler);
        copy.drainHandler(handler);
        return this;
    }
}

package io.depproxy.accelerator.edge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body passed through as it arrives, failing with {@link BodyTooLargeException} (and dropping the chunk
 * that crossed it) once more than {@code limit} bytes came: nothing is ever collected, and the consumer sees the
 * failure instead of the excess.
 */
public final class BoundedRequestBody implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final long limit;
    private long received;
    private boolean failed;
    private Handler<Throwable> exceptionHandler;

    public BoundedRequestBody(ReadStream<Buffer> source, long limit) {
        this.source = source;
        this.limit = limit;
    }

    /** Whether the body went past the limit (the consumer then saw a {@link BodyTooLargeException}). */
    public boolean exceeded() {
        return failed;
    }

    @Override
    public BoundedRequestBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public BoundedRequestBody handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            if (failed) {
                return;
            }
            received += chunk.length();
            if (received > limit) {
                failed = true;
                source.pause();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new BodyTooLargeException(limit));
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public BoundedRequestBody pause() {
        source.pause();
        return this;
    }

    @Override
    public BoundedRequestBody resume() {
        if (!failed) {
            source.resume();
        }
        return this;
    }

    @Override
    public BoundedRequestBody fetch(long amount) {
        if (!failed) {
            source.fetch(amount);
        }
        return this;
    }

    @Override
    public BoundedRequestBody endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (!failed) {
                endHandler.handle(null);
            }
        });
        return this;
    }
}

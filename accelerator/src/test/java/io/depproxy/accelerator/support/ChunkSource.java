package io.depproxy.accelerator.support;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A read stream of the given chunks, emitted on {@code context} as demand allows, then ended (or failed). */
public final class ChunkSource implements ReadStream<Buffer> {
    private final Context context;
    private final ArrayDeque<Buffer> chunks;
    private final Throwable failure;
    private final AtomicInteger emitted = new AtomicInteger();
    private long demand = Long.MAX_VALUE;
    private boolean scheduled;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    /** @param failure null to end after the chunks, or what to fail with instead */
    public ChunkSource(Context context, List<Buffer> chunks, Throwable failure) {
        this.context = context;
        this.chunks = new ArrayDeque<>(chunks);
        this.failure = failure;
    }

    public int emitted() {
        return emitted.get();
    }

    @Override
    public ChunkSource handler(Handler<Buffer> handler) {
        this.handler = handler;
        schedule();
        return this;
    }

    @Override
    public ChunkSource pause() {
        demand = 0;
        return this;
    }

    @Override
    public ChunkSource resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ChunkSource fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public ChunkSource endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    @Override
    public ChunkSource exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                emit();
            });
        }
    }

    private void emit() {
        while (demand > 0 && handler != null && !chunks.isEmpty()) {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            emitted.incrementAndGet();
            handler.handle(chunks.poll());
        }
        if (chunks.isEmpty() && handler != null) {
            handler = null;
            if (failure != null && exceptionHandler != null) {
                exceptionHandler.handle(failure);
            } else if (failure == null && endHandler != null) {
                endHandler.handle(null);
            }
        }
    }
}

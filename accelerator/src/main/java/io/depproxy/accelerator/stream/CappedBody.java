package io.depproxy.accelerator.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body counted as it passes, with a cap: the chunk that would take it past the cap is never handed on; the source
 * is paused, nothing more is delivered, and the consumer gets {@link CapExceeded} as the stream's failure (it then
 * stops the download the way it stops any broken one). So whatever reads this body never holds more than the cap,
 * however long the upstream would go on. A null cap passes everything. Use it on the source's context.
 */
public final class CappedBody implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final Long cap;
    private long received;
    private boolean exceeded;
    private Handler<Buffer> handler;
    private Handler<Throwable> exceptionHandler;

    public CappedBody(ReadStream<Buffer> source, Long cap) {
        this.source = source;
        this.cap = cap;
    }

    /** Bytes the source sent so far, the refused chunk included. */
    public long received() {
        return received;
    }

    @Override
    public CappedBody handler(Handler<Buffer> handler) {
        this.handler = handler;
        source.handler(handler == null ? null : this::onChunk);
        return this;
    }

    @Override
    public CappedBody endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (!exceeded) {
                endHandler.handle(null);
            }
        });
        return this;
    }

    @Override
    public CappedBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : err -> {
            if (!exceeded) {
                handler.handle(err);
            }
        });
        return this;
    }

    @Override
    public CappedBody pause() {
        source.pause();
        return this;
    }

    @Override
    public CappedBody resume() {
        if (!exceeded) {
            source.resume();
        }
        return this;
    }

    @Override
    public CappedBody fetch(long amount) {
        if (!exceeded) {
            source.fetch(amount);
        }
        return this;
    }

    private void onChunk(Buffer chunk) {
        if (exceeded) {
            return;
        }
        received += chunk.length();
        if (cap != null && received > cap) {
            exceeded = true;
            source.pause();
            if (exceptionHandler != null) {
                exceptionHandler.handle(CapExceeded.streamed(received, cap));
            }
            return;
        }
        handler.handle(chunk);
    }
}

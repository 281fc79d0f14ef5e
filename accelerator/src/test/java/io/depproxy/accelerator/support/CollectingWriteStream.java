package io.depproxy.accelerator.support;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a copy of everything written to it. {@link #full(boolean) full(true)} makes it report a full queue (it still
 * accepts what is written) until {@code full(false)}, which calls the drain handler. {@link #holdWrites()} leaves
 * each write's future pending (as a socket that does not drain would) until {@link #completeWrites()}. Use it on one
 * context.
 */
public final class CollectingWriteStream implements WriteStream<Buffer> {
    private final Buffer bytes = Buffer.buffer();
    private volatile boolean full;
    private volatile Handler<Void> drainHandler;
    private boolean holding;
    private final List<Promise<Void>> held = new ArrayList<>();
    private final AtomicLong unwritten = new AtomicLong();
    private final AtomicInteger writes = new AtomicInteger();
    private Handler<Throwable> exceptionHandler;

    @Override
    public Future<Void> write(Buffer data) {
        writes.incrementAndGet();
        synchronized (bytes) {
            bytes.appendBuffer(data);
        }
        if (!holding) {
            return Future.succeededFuture();
        }
        unwritten.addAndGet(data.length());
        Promise<Void> written = Promise.promise();
        held.add(written);
        written.future().onComplete(ar -> unwritten.addAndGet(-data.length()));
        return written.future();
    }

    public void holdWrites() {
        holding = true;
    }

    /** Completes the held writes, and those to come. */
    public void completeWrites() {
        holding = false;
        List<Promise<Void>> pending = new ArrayList<>(held);
        held.clear();
        pending.forEach(Promise::complete);
    }

    /** Bytes written whose futures are still pending. */
    public long unwritten() {
        return unwritten.get();
    }

    /** Fails like a connection that closed under the writer. */
    public void breakDown(Throwable cause) {
        if (exceptionHandler != null) {
            exceptionHandler.handle(cause);
        }
    }

    @Override
    public Future<Void> end() {
        return Future.succeededFuture();
    }

    public void full(boolean full) {
        this.full = full;
        Handler<Void> handler = drainHandler;
        if (!full && handler != null) {
            drainHandler = null;
            handler.handle(null);
        }
    }

    /** How many writes it took (a socket write each, for a real connection). */
    public int writes() {
        return writes.get();
    }

    public int received() {
        synchronized (bytes) {
            return bytes.length();
        }
    }

    public Buffer bytes() {
        synchronized (bytes) {
            return bytes.copy();
        }
    }

    @Override
    public CollectingWriteStream exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public CollectingWriteStream setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return full;
    }

    /** A writer found this stream full and waits for it to drain (it stopped writing). */
    public boolean awaitedDrain() {
        return drainHandler != null;
    }

    @Override
    public CollectingWriteStream drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
    }
}

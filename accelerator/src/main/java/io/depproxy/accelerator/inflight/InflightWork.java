package io.depproxy.accelerator.inflight;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The work a graceful shutdown waits for, counted where it starts and ends: client requests being proxied or
 * streamed (the edge counts them) and downloads being stored (the upload session counts them, from the moment a
 * download may be stored until it is finalized or given up). Shutdown reads these counts; the metrics publish them
 * as gauges by reading them too, never the reverse, so renaming or dropping a metric cannot change what shutdown
 * waits for. One instance per process, shared by every verticle.
 */
public final class InflightWork {
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();

    public void streamStarted() {
        streams.incrementAndGet();
    }

    public void streamEnded() {
        streams.decrementAndGet();
    }

    /** Client requests being proxied or streamed right now (the accelerator's own {@code /-/} routes excepted). */
    public long streams() {
        return streams.get();
    }

    /** Runs {@code upload} and counts it as in progress until the future it returns completes, however it ends. */
    public <T> Future<T> upload(Supplier<Future<T>> upload) {
        uploads.incrementAndGet();
        Future<T> running;
        try {
            running = upload.get();
        } catch (RuntimeException e) {
            running = Future.failedFuture(e);
        }
        return running.andThen(ar -> uploads.decrementAndGet());
    }

    /** Downloads being stored or finalized; shutdown waits for them after the streams. */
    public long uploads() {
        return uploads.get();
    }
}

package io.depproxy.accelerator.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Copies a read stream into a write stream with at most {@link #MAX_IN_FLIGHT} bytes written and not yet flushed
 * to the socket. Vert.x's own pipe pauses the source only once the destination's queue holds 16 messages, whatever
 * their size: with 64 KiB chunks and a slow client that is a mebibyte per stream. Completes when the source ended
 * (the caller then ends or resets the destination), fails when either side fails; never ends the destination.
 * Use it on the source's context.
 */
public final class BoundedCopy {
    /** Bytes handed to the destination and not yet written out, per copy. */
    public static final long MAX_IN_FLIGHT = 256 * 1024;

    private final ReadStream<Buffer> source;
    private final WriteStream<Buffer> destination;
    private final long maxInFlight;
    private final Promise<Void> done = Promise.promise();
    private long inFlight;
    private boolean paused;

    private BoundedCopy(ReadStream<Buffer> source, WriteStream<Buffer> destination, long maxInFlight) {
        this.source = source;
        this.destination = destination;
        this.maxInFlight = maxInFlight;
    }

    public static Future<Void> copy(ReadStream<Buffer> source, WriteStream<Buffer> destination) {
        return copy(source, destination, MAX_IN_FLIGHT);
    }

    /** As {@link #copy(ReadStream, WriteStream)}, with another bound for a source of big chunks. */
    public static Future<Void> copy(ReadStream<Buffer> source, WriteStream<Buffer> destination, long maxInFlight) {
        return new BoundedCopy(source, destination, maxInFlight).start();
    }

    private Future<Void> start() {
        source.pause();
        source.handler(this::write);
        source.endHandler(v -> done.tryComplete());
        source.exceptionHandler(done::tryFail);
        destination.exceptionHandler(done::tryFail);
        done.future().onComplete(ar -> {
            source.handler(null);
            source.endHandler(null);
            source.exceptionHandler(null);
        });
        source.resume();
        return done.future();
    }

    private void write(Buffer chunk) {
        long length = chunk.length();
        inFlight += length;
        destination.write(chunk).onComplete(ar -> {
            inFlight -= length;
            if (ar.failed()) {
                done.tryFail(ar.cause());
            } else {
                resumeIfRoom();
            }
        });
        if (inFlight >= maxInFlight || destination.writeQueueFull()) {
            paused = true;
            source.pause();
            destination.drainHandler(v -> resumeIfRoom());
        }
    }

    private void resumeIfRoom() {
        if (paused && !done.future().isComplete() && inFlight < maxInFlight / 2 && !destination.writeQueueFull()) {
            paused = false;
            source.resume();
        }
    }
}

package io.depproxy.accelerator.stream.spool;

import io.depproxy.accelerator.stream.BoundedCopy;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Copies {@code [start, end)} of a spool entry into a {@link WriteStream} while the entry is still being written,
 * on the context that opened it. It waits for the writer when it caught up, follows the destination's backpressure,
 * withholds the entry's last byte until the download is verified, and fails as soon as the download fails (even
 * while the destination is full: a client that stopped reading is reset all the same).
 * <p>
 * Chunks are read on a worker thread into pooled direct buffers (the next one is read while the previous ones are
 * written) and handed to the destination as they are: no copy on the heap, and each buffer goes back to the pool
 * once the destination wrote it out. Per reader, at most {@link BoundedCopy#MAX_IN_FLIGHT} bytes are handed over
 * and not yet written, plus the chunk read ahead.
 */
public final class SpoolReader {
    /** Open-ended: read to the end of the download, whatever its length turns out to be. */
    public static final long TO_THE_END = Long.MAX_VALUE;
    static final int CHUNK = 128 * 1024;

    private final SpoolEntry entry;
    private final Context context;
    private final FileChannel channel;
    private final long end;
    private long position;
    private ByteBuf ahead;
    private long inFlight;
    private boolean reading;
    private boolean waiting;
    private boolean draining;
    private boolean finished;
    private Throwable failure;
    private WriteStream<Buffer> destination;
    private Promise<Void> sent;

    private SpoolReader(SpoolEntry entry, Context context, FileChannel channel, long start, long end) {
        this.entry = entry;
        this.context = context;
        this.channel = channel;
        this.position = start;
        this.end = end;
    }

    /** Opens a reader on the current context; fails when the entry's file is already gone. */
    public static Future<SpoolReader> open(Vertx vertx, SpoolEntry entry, long start, long end) {
        if (!entry.retainReader()) {
            return Future.failedFuture(new SpoolEntryGoneException(entry.file()));
        }
        Context context = vertx.getOrCreateContext();
        return context.executeBlocking(() -> FileChannel.open(entry.file(), StandardOpenOption.READ), false)
                .map(channel -> new SpoolReader(entry, context, channel, start, end).watchFailure())
                .onFailure(err -> entry.releaseReader());
    }

    /**
     * Copies the range into {@code destination} at the pace it accepts; completes once every byte was handed to it
     * (the caller then ends it), fails when the download, the destination or {@link #cancel} does. Call once.
     */
    public Future<Void> sendTo(WriteStream<Buffer> destination) {
        this.destination = destination;
        sent = Promise.promise();
        if (finished) {
            sent.fail(failure != null ? failure : new IllegalStateException("spool reader is closed"));
            return sent.future();
        }
        destination.exceptionHandler(this::fail);
        pump();
        return sent.future();
    }

    /** Stops reading and fails the copy (for example because the client went away); releases the file. */
    public void cancel(Throwable cause) {
        context.runOnContext(v -> fail(cause));
    }

    /** How far into the entry this reader has read (handed over or read ahead). */
    public long position() {
        return position;
    }

    /** Releases the file; safe to call more than once. */
    public void close() {
        finish(null);
    }

    private SpoolReader watchFailure() {
        entry.onFailure(this::cancel);
        return this;
    }

    private void pump() {
        if (finished || destination == null) {
            return;
        }
        if (ahead != null) {
            if (inFlight >= BoundedCopy.MAX_IN_FLIGHT) {
                return;
            }
            if (destination.writeQueueFull()) {
                awaitDrain();
                return;
            }
            handOver();
        }
        // a write that completed at once may have run pump() already (and even finished the copy)
        if (!reading && !finished) {
            readNext();
        }
    }

    private void readNext() {
        SpoolEntry.Progress progress = entry.progress();
        if (progress.failure() != null) {
            fail(progress.failure());
            return;
        }
        long limit = Math.min(end, progress.readableLimit());
        if (position < limit) {
            read((int) Math.min(CHUNK, limit - position));
        } else if (position >= end || (progress.verified() && position >= progress.written())) {
            finish(null);
        } else if (!waiting) {
            waiting = true;
            entry.onChange(progress.version(), () -> context.runOnContext(v -> {
                waiting = false;
                pump();
            }));
        }
    }

    private void read(int length) {
        reading = true;
        ByteBuf chunk = entry.buffers().directBuffer(length, length);
        long at = position;
        context.executeBlocking(() -> readFully(chunk, at, length), false).onComplete(ar -> {
            reading = false;
            if (ar.failed() || finished) {
                chunk.release();
                fail(ar.cause());
                return;
            }
            position += length;
            ahead = chunk;
            pump();
        });
    }

    /** Runs on a worker. */
    private Void readFully(ByteBuf chunk, long at, int length) throws IOException {
        ByteBuffer target = chunk.nioBuffer(0, length);
        long offset = at;
        while (target.hasRemaining()) {
            int read = channel.read(target, offset);
            if (read < 0) {
                throw new IOException("spool file is shorter than written");
            }
            offset += read;
        }
        chunk.writerIndex(length);
        return null;
    }

    private void handOver() {
        ByteBuf chunk = ahead;
        ahead = null;
        int length = chunk.readableBytes();
        inFlight += length;
        Future<Void> written;
        try {
            written = destination.write(BufferInternal.buffer(chunk));
        } catch (RuntimeException e) {
            chunk.release();
            fail(e);
            return;
        }
        // the destination writes the buffer as it is (no copy): it goes back to the pool once written, not before
        written.onComplete(ar -> {
            chunk.release();
            inFlight -= length;
            if (ar.failed()) {
                fail(ar.cause());
            } else {
                pump();
            }
        });
    }

    private void awaitDrain() {
        if (!draining) {
            draining = true;
            destination.drainHandler(v -> {
                draining = false;
                pump();
            });
        }
    }

    private void fail(Throwable cause) {
        if (cause != null) {
            finish(cause);
        }
    }

    /** Once only: the file is closed and the entry's reader count released exactly once. */
    private void finish(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        failure = cause;
        if (ahead != null) {
            ahead.release();
            ahead = null;
        }
        context.executeBlocking(() -> {
            channel.close();
            return null;
        }, false).onComplete(ar -> entry.releaseReader());
        if (sent != null) {
            if (cause == null) {
                sent.tryComplete();
            } else {
                sent.tryFail(cause);
            }
        }
    }
}

package io.depproxy.accelerator.stream.spool;

import io.depproxy.accelerator.stream.BoundedCopy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads {@code [start, end)} of a spool entry while it is still being written, emitting on the context that opened
 * it. It waits for the writer when it caught up, honours pause/resume/fetch, withholds the entry's last byte until
 * the download is verified, and fails when the download fails.
 */
public final class SpoolReader implements ReadStream<Buffer> {
    /** Open-ended: read to the end of the download, whatever its length turns out to be. */
    public static final long TO_THE_END = Long.MAX_VALUE;
    /**
     * Each read is a hop to a worker thread and back: 1 MiB per hop keeps that latency off the byte rate (128 KiB
     * reads capped a cold pull near 100 MiB/s here). Two chunks may wait for the socket, so the next read overlaps
     * the send of the last one.
     */
    static final int CHUNK = 1024 * 1024;
    static final long MAX_IN_FLIGHT = 2L * CHUNK;
    /**
     * The most one {@link FileSend} covers: the reader's position (what a stall watchdog sees moving) advances once
     * per send, so a send is kept to what a slow client takes in a moment; and below Vert.x's 1 MiB file region,
     * which it splits larger sends into and logs every failed region of at ERROR with its stack trace (a client
     * that went away, a store that closed its connection: answered through the send's future, not errors).
     */
    static final long MAX_FILE_SEND = 1020L * 1024;
    /**
     * A reader at the writer's edge that has sent its first bytes waits until this much more is on disk (or
     * {@link #EDGE_DELAY_MILLIS} passed, or the download is over) before it sends again: the writer's batches are as
     * small as the network's chunks at link speed, and one send per batch per client made sixteen clients of one
     * cold download cost twice the CPU of sixteen hits.
     */
    static final long EDGE_BATCH = 256 * 1024;
    static final long EDGE_DELAY_MILLIS = 10;

    /**
     * Sends {@code length} bytes of the spool file from {@code position} straight to the destination's socket (a
     * zero-copy file send: the bytes never pass through the JVM), after everything written to it before; completes
     * once they are all out.
     */
    @FunctionalInterface
    public interface FileSend {
        Future<Void> send(FileChannel file, long position, long length);
    }

    private final SpoolEntry entry;
    private final Context context;
    private final Vertx vertx;
    /** Opened at the first read that memory cannot answer: a reader at the writer's edge may never need it. */
    private Future<AsyncFile> file;
    /** The same, for file sends. */
    private Future<FileChannel> channel;
    private FileSend fileSend;
    private boolean fileOnly;
    private final long start;
    private final long end;
    /** Counted among the spool's clients reading until it closes ({@link #openForClient}). */
    private boolean client;
    private long position;
    private long demand = Long.MAX_VALUE;
    private boolean reading;
    private boolean pumping;
    private boolean waiting;
    /** Counts the waits for a batch, so that of its two wake-ups (bytes, timer) only the first acts. */
    private long batchWaits;
    private long batchTimer = -1;
    private boolean edgeDelayPassed;
    private boolean finished;
    private boolean closed;
    private Throwable failure;
    private boolean failureDelivered;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    private SpoolReader(Vertx vertx, SpoolEntry entry, Context context, long start, long end) {
        this.vertx = vertx;
        this.entry = entry;
        this.context = context;
        this.start = start;
        this.position = start;
        this.end = end;
    }

    /**
     * Copies the range into {@code destination} at the pace it accepts ({@link BoundedCopy}); completes once every
     * byte was handed to it (the caller then ends it), fails when the download, the destination or {@link #cancel}
     * does. Call once.
     */
    public Future<Void> sendTo(WriteStream<Buffer> destination) {
        if (finished && failure == null) {
            return Future.failedFuture(new IllegalStateException("spool reader is closed"));
        }
        return BoundedCopy.copy(this, destination, MAX_IN_FLIGHT);
    }

    /**
     * As {@link #sendTo(WriteStream)}, but the bytes that are on disk and no longer among the entry's recent bytes go
     * with {@code fileSend} (zero-copy) instead of being read into memory and written: a client that joined a
     * download late, or reads slower than it arrives, costs what a hit from the hot tier costs. Bytes from memory go
     * through {@code destination} as before. Call it on the destination connection's event loop with a file send that
     * queues behind the destination's writes (as {@code ZeroCopySend} does), so both reach the socket in order; the
     * reader waits for each file send before it emits again. The last byte still waits for the verification, as with
     * any reader.
     */
    public Future<Void> sendTo(WriteStream<Buffer> destination, FileSend fileSend) {
        this.fileSend = fileSend;
        return sendTo(destination);
    }

    /**
     * Sends every byte with {@code fileSend}, none from memory: for a range that is all on disk already (an upload
     * after the verification) into a destination that may live on another event loop, where only one kind of write
     * keeps the bytes in order. The destination's head must be out; it gets no writes from this reader.
     */
    public Future<Void> sendFileTo(WriteStream<Buffer> destination, FileSend fileSend) {
        this.fileOnly = true;
        return sendTo(destination, fileSend);
    }

    /** How far into the entry this reader has read. */
    public long position() {
        return position;
    }

    /**
     * Opens a reader on the current context; fails when the entry's file is already gone. It completes at once: the
     * file itself is opened by the first read that the entry's recent bytes cannot answer, so a client's head need
     * not wait for a file open (nor for the writer to have created the file: nothing is readable before it did).
     */
    public static Future<SpoolReader> open(Vertx vertx, SpoolEntry entry, long start, long end) {
        if (!entry.retainReader()) {
            return Future.failedFuture(new SpoolEntryGoneException(entry.file()));
        }
        return Future.succeededFuture(new SpoolReader(vertx, entry, vertx.getOrCreateContext(), start, end)
                .watchFailure());
    }

    /**
     * As {@link #open}, for a client (or a peer replica) of the download: counted among the spool's clients reading
     * until the reader closes, which stores wait for ({@link Spool#clientsReading()}).
     */
    public static Future<SpoolReader> openForClient(Vertx vertx, SpoolEntry entry, long start, long end) {
        return open(vertx, entry, start, end).onSuccess(reader -> {
            reader.client = true;
            entry.spool().clientStarted();
        });
    }

    @Override
    public SpoolReader handler(Handler<Buffer> handler) {
        this.handler = handler;
        pump();
        return this;
    }

    @Override
    public SpoolReader pause() {
        demand = 0;
        return this;
    }

    @Override
    public SpoolReader resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public SpoolReader fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        pump();
        return this;
    }

    @Override
    public SpoolReader endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    /** A failure that came before anyone listened is delivered to the first handler. */
    @Override
    public SpoolReader exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        if (handler != null && failure != null && !failureDelivered) {
            failureDelivered = true;
            handler.handle(failure);
        }
        return this;
    }

    /** Stops reading and fails the stream (for example because the client went away); closes the reader. */
    public void cancel(Throwable cause) {
        context.runOnContext(v -> fail(cause));
    }

    /** A download that fails while this reader is paused (its client applies backpressure) still fails it. */
    private SpoolReader watchFailure() {
        entry.onFailure(this::cancel);
        return this;
    }

    /** Releases the file; safe to call more than once. */
    public void close() {
        if (!finished) {
            finished = true;
            handler = null;
        }
        closeFile();
    }

    private void closeFile() {
        if (!closed) {
            closed = true;
            if (file != null) {
                file.onSuccess(AsyncFile::close);
            }
            if (channel != null) {
                channel.onSuccess(open -> context.executeBlocking(() -> {
                    open.close();
                    return null;
                }, false));
            }
            entry.releaseReader();
            if (client) {
                entry.spool().clientDone();
            }
        }
    }

    /**
     * Emits what may be read now: from memory while the bytes are among the newest on disk (a reader at the writer's
     * edge), else one file send or one read of the file at a time. Reentrant calls (a handler resuming the stream) leave the work to
     * the running loop, which looks at the state again after each chunk.
     */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!finished && !reading && handler != null) {
                SpoolEntry.Progress progress = entry.progress();
                if (progress.failure() != null) {
                    fail(progress.failure());
                    return;
                }
                long limit = Math.min(end, progress.readableLimit());
                if (position < limit) {
                    if (demand <= 0 || awaitingBatch(progress, limit)) {
                        return;
                    }
                    edgeDelayPassed = false;
                    int length = (int) Math.min(CHUNK, limit - position);
                    // a connection that takes file sends gets the newest bytes from the page cache too (no copy into
                    // the socket's memory per client); only other connections take them from the writer's memory
                    Buffer recent = fileSend != null ? null : entry.recentBytes(position, length);
                    if (recent != null) {
                        emit(recent);
                    } else if (fileSend != null) {
                        sendFile(Math.min(MAX_FILE_SEND, limit - position));
                    } else {
                        read(length); // may complete at once, inside this loop: the loop then goes on
                    }
                    continue;
                }
                if (position >= end || (progress.verified() && position >= progress.written())) {
                    succeed();
                } else if (!waiting) {
                    waiting = true;
                    entry.onChange(progress.version(), () -> context.runOnContext(v -> {
                        waiting = false;
                        pump();
                    }));
                }
                return;
            }
        } finally {
            pumping = false;
        }
    }

    /**
     * True when this reader, at the writer's edge after its first bytes, waits for a batch worth a send
     * ({@link #EDGE_BATCH}); woken by the bytes, the download's end or failure, or {@link #EDGE_DELAY_MILLIS}.
     */
    private boolean awaitingBatch(SpoolEntry.Progress progress, long limit) {
        if (position == start || edgeDelayPassed || progress.verified() || limit >= end
                || limit - position >= EDGE_BATCH) {
            return false;
        }
        if (!waiting) {
            waiting = true;
            long wait = ++batchWaits;
            batchTimer = vertx.setTimer(EDGE_DELAY_MILLIS, id -> batchDue(wait, true));
            entry.onWritten(position + EDGE_BATCH, () -> context.runOnContext(v -> batchDue(wait, false)));
        }
        return true;
    }

    private void batchDue(long wait, boolean delayPassed) {
        if (wait != batchWaits || !waiting) {
            return;
        }
        batchWaits++; // the other wake-up of this wait finds it over
        waiting = false;
        if (!delayPassed) {
            vertx.cancelTimer(batchTimer);
        }
        edgeDelayPassed = delayPassed;
        pump();
    }

    private void emit(Buffer chunk) {
        position += chunk.length();
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        Handler<Buffer> target = handler;
        if (target != null) {
            target.handle(chunk);
        }
    }

    private void read(int length) {
        reading = true;
        if (file == null) {
            OpenOptions readOnly = new OpenOptions().setRead(true).setWrite(false).setCreate(false);
            file = vertx.fileSystem().open(entry.file().toString(), readOnly);
        }
        file.compose(opened -> opened.read(Buffer.buffer(length), 0, position, length)).onComplete(ar -> {
            reading = false;
            if (finished) {
                return;
            }
            if (ar.failed() || ar.result().length() == 0) {
                fail(ar.failed() ? ar.cause() : new IllegalStateException("spool file is shorter than written"));
                return;
            }
            emit(ar.result());
            pump();
        });
    }

    /** One file send at a time; the position moves when it is out (a failed one fails the stream). */
    private void sendFile(long length) {
        reading = true;
        if (channel == null) {
            channel = context.executeBlocking(() -> FileChannel.open(entry.file(), StandardOpenOption.READ), false);
        }
        long from = position;
        channel.compose(open -> fileSend.send(open, from, length)).onComplete(ar -> {
            reading = false;
            if (finished) {
                return;
            }
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            position = from + length;
            pump();
        });
    }

    private void succeed() {
        finished = true;
        closeFile();
        Handler<Void> target = endHandler;
        if (target != null) {
            target.handle(null);
        }
    }

    private void fail(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        failure = cause;
        closeFile();
        Handler<Throwable> target = exceptionHandler;
        if (target != null) {
            failureDelivered = true;
            target.handle(cause);
        }
    }
}

package io.depproxy.accelerator.stream.spool;

import io.depproxy.contracts.Digests;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a download into its spool file, counting bytes and hashing them as they pass. Network chunks queue on the
 * event loop and go to disk in batches, one blocking task at a time on a worker thread, while another worker feeds
 * the batch to the sha256 (the two lanes run side by side: a batch costs the longer of the two, not their sum): the
 * event loop neither hashes nor touches the disk, and a batch costs one thread hop per lane however many chunks it
 * holds. A batch waits for {@link #MIN_BATCH} bytes or {@link #MAX_BATCH_DELAY_NANOS} (the first one goes at once,
 * for the first byte's sake). Readers are told about a batch as soon as it is on disk (only the last byte waits for
 * the digest), in order. At most {@link #MAX_QUEUED} bytes wait for the disk or the hash; past that
 * {@link #writeQueueFull()} pauses the upstream. Use it on the context that opened it.
 */
public final class SpoolWriter implements WriteStream<Buffer> {
    /**
     * Bytes accepted but not yet on disk, per download, before the upstream is paused. A batch costs a round trip
     * to a worker thread: with 512 KiB that round trip capped a download near 128 MiB/s here; 4 MiB lets a batch be
     * written while the next one fills.
     */
    static final int MAX_QUEUED = 4 * 1024 * 1024;
    /**
     * A batch is not sent to the workers before it holds this much, or {@link #MAX_BATCH_DELAY_NANOS} passed since
     * its first chunk. At link speed the network hands over a few KiB per read: a batch per read made two thread hops
     * per read, and a single cold pull over a 1 Gbit/s link cost 1.3 CPU-s of which most was threads waking and
     * sleeping. 256 KiB is 2 ms of such a link, and what a reader at the writer's edge waits for anyway
     * ({@link SpoolReader#EDGE_BATCH}).
     */
    static final int MIN_BATCH = 256 * 1024;
    static final long MAX_BATCH_DELAY_NANOS = 10_000_000;

    private final SpoolEntry entry;
    private final Context context;
    private final Vertx vertx;
    private final FileChannel channel;
    private final MessageDigest sha256 = Digests.newSha256();
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private Promise<Void> queued;
    /** The hash lane: each batch is hashed after the one before it, beside its disk write. */
    private Future<Void> hashed = Future.succeededFuture();
    private long pendingBytes;
    /** Bytes in {@link #queue}: accepted, not yet handed to a worker. */
    private long queuedBytes;
    private long firstQueuedNanos;
    /** A timer is armed for the batch waiting ({@link #waitsForMore()}); one at a time, never cancelled. */
    private boolean batchTimerArmed;
    private long count;
    private boolean flushing;
    private boolean overflow;
    private boolean closing;
    private boolean channelClosed;
    private Throwable failure;
    private Promise<Void> ended;
    private String sha256Hex;
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;

    private SpoolWriter(SpoolEntry entry, Context context, FileChannel channel) {
        this.entry = entry;
        this.context = context;
        this.vertx = context.owner();
        this.channel = channel;
    }

    /** Creates the entry's file; call on the context that will write it. */
    public static Future<SpoolWriter> open(Vertx vertx, SpoolEntry entry) {
        Context context = vertx.getOrCreateContext();
        return context.executeBlocking(() -> FileChannel.open(entry.file(), StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), false)
                .map(channel -> new SpoolWriter(entry, context, channel));
    }

    /** Completes once this chunk (and the batch it went to disk with) is on disk. */
    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        if (closing) {
            return Future.failedFuture(new IllegalStateException("spool writer is closed"));
        }
        if (data.length() == 0) {
            return Future.succeededFuture();
        }
        if (queue.isEmpty()) {
            firstQueuedNanos = System.nanoTime();
        }
        queue.add(data);
        queuedBytes += data.length();
        pendingBytes += data.length();
        count += data.length();
        overflow |= pendingBytes >= MAX_QUEUED;
        if (queued == null) {
            queued = Promise.promise();
        }
        Future<Void> written = queued.future();
        flush();
        return written;
    }

    /** Completes when every byte is on disk and the file is closed; fails if a write failed. */
    @Override
    public Future<Void> end() {
        if (ended == null) {
            ended = Promise.promise();
            closing = true;
            if (failure != null) {
                closeChannel().onComplete(ar -> ended.tryFail(failure));
            } else {
                flush(); // what waits for a batch goes now
                closeOnceFlushed();
            }
        }
        return ended.future();
    }

    /** Stops writing after a failed download: what is queued is dropped, the file is closed. */
    public void abort() {
        closing = true;
        queue.clear();
        queuedBytes = 0;
        if (failure == null) {
            failure = new IllegalStateException("spool writer aborted");
        }
        failQueued(failure);
        if (!flushing) {
            closeChannel();
        }
    }

    public long count() {
        return count;
    }

    /** The digest of everything written; call after {@link #end()} completed. */
    public String sha256Hex() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
        }
        return sha256Hex;
    }

    private void flush() {
        if (flushing || queue.isEmpty() || waitsForMore()) {
            return;
        }
        flushing = true;
        List<Buffer> batch = new ArrayList<>(queue);
        queue.clear();
        long batchBytes = queuedBytes;
        queuedBytes = 0;
        Promise<Void> done = queued;
        queued = null;
        Future<Void> hash = hashed.compose(v -> context.executeBlocking(() -> hash(batch), false));
        hashed = hash;
        Future<Void> disk = context.executeBlocking(() -> writeToDisk(batch, batchBytes), false);
        disk.onComplete(ar -> {
            flushing = false;
            if (ar.failed()) {
                diskFailed(ar.cause());
                done.fail(ar.cause());
                return;
            }
            done.complete();
            if (failure != null) {
                closeChannel();
                return;
            }
            flush();
            closeOnceFlushed();
        });
        Future.all(disk, hash).onSuccess(both -> {
            pendingBytes -= batchBytes;
            if (overflow && pendingBytes < MAX_QUEUED / 2) {
                overflow = false;
                if (drainHandler != null) {
                    drainHandler.handle(null);
                }
            }
            closeOnceFlushed();
        });
    }

    /**
     * True while the queued chunks are too few for a batch of their own ({@link #MIN_BATCH}); a timer then sends them
     * once they waited {@link #MAX_BATCH_DELAY_NANOS}. The first batch and the last (once the writer is ending) go at
     * once. At link speed a batch fills long before its timer: the timer is left to fire (and to find nothing, or
     * a younger batch it waits for in turn) rather than cancelled and armed again for every batch.
     */
    private boolean waitsForMore() {
        if (closing || queuedBytes >= MIN_BATCH || count == queuedBytes) {
            return false;
        }
        long waited = System.nanoTime() - firstQueuedNanos;
        if (waited >= MAX_BATCH_DELAY_NANOS) {
            return false;
        }
        if (!batchTimerArmed) {
            batchTimerArmed = true;
            vertx.setTimer(Math.max(1, (MAX_BATCH_DELAY_NANOS - waited) / 1_000_000), id -> {
                batchTimerArmed = false;
                flush();
            });
        }
        return true;
    }

    private void closeOnceFlushed() {
        if (ended != null && !flushing && queue.isEmpty() && hashed.isComplete() && failure == null
                && !channelClosed) {
            closeChannel().onComplete(ended);
        }
    }

    /** Runs on a worker, one batch at a time: writes the chunks in order, then tells the readers. */
    private Void writeToDisk(List<Buffer> batch, long batchBytes) throws IOException {
        for (Buffer chunk : batch) {
            ByteBuffer bytes = ((BufferInternal) chunk).getByteBuf().nioBuffer();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        entry.advance(batchBytes, batch);
        return null;
    }

    /** Runs on a worker, one batch at a time, in order. */
    private Void hash(List<Buffer> batch) {
        for (Buffer chunk : batch) {
            sha256.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
        }
        return null;
    }

    private void diskFailed(Throwable cause) {
        if (failure == null) {
            failure = cause;
            if (exceptionHandler != null) {
                exceptionHandler.handle(cause);
            }
        }
        queue.clear();
        queuedBytes = 0;
        failQueued(cause);
        closeChannel();
        if (ended != null) {
            ended.tryFail(cause);
        }
    }

    private void failQueued(Throwable cause) {
        if (queued != null) {
            queued.tryFail(cause);
            queued = null;
        }
    }

    private Future<Void> closeChannel() {
        if (channelClosed) {
            return Future.succeededFuture();
        }
        channelClosed = true;
        return context.executeBlocking(() -> {
            channel.close();
            return null;
        }, false);
    }

    @Override
    public SpoolWriter exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    /** The queue bound is fixed ({@link #MAX_QUEUED}): it is what keeps memory per download bounded. */
    @Override
    public SpoolWriter setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return pendingBytes >= MAX_QUEUED;
    }

    @Override
    public SpoolWriter drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
    }
}

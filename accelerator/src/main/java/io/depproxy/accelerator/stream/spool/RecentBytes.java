package io.depproxy.accelerator.stream.spool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest bytes of a download that are already on disk, kept in memory (the writer's own chunks, no copy) so a
 * reader at the writer's edge gets them without reading the file back: no read syscall, no copy into a fresh buffer,
 * no hop to a worker thread. Older bytes, and every byte once the memory budget shared by all downloads is spent,
 * are read from the file. Not thread-safe: its {@link SpoolEntry} calls it under its lock.
 */
final class RecentBytes {
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    private final AtomicLong budget;
    private final long maxHeld;
    private long start;
    private long end;

    RecentBytes(AtomicLong budget, long maxHeld) {
        this.budget = budget;
        this.maxHeld = maxHeld;
    }

    /** The batch that was just written at {@code offset}; drops the oldest chunks to stay within the bounds. */
    void append(long offset, List<Buffer> batch, long batchBytes) {
        if (offset != end || batchBytes > maxHeld || !reserve(batchBytes)) {
            clear();
            start = end = offset + batchBytes;
            return;
        }
        chunks.addAll(batch);
        end += batchBytes;
        while (end - start > maxHeld) {
            Buffer oldest = chunks.removeFirst();
            start += oldest.length();
            budget.addAndGet(oldest.length());
        }
    }

    /**
     * Up to {@code max} bytes at {@code position} without copying them (one buffer over the chunks it spans: a socket
     * write per network chunk would cost a system call each), or null when they are not held.
     */
    Buffer slice(long position, int max) {
        if (position < start || position >= end) {
            return null;
        }
        List<ByteBuf> parts = new ArrayList<>();
        long chunkStart = start;
        long wanted = max;
        for (Buffer chunk : chunks) {
            long chunkEnd = chunkStart + chunk.length();
            if (position < chunkEnd) {
                int from = (int) Math.max(0, position - chunkStart);
                int to = (int) Math.min(chunk.length(), from + wanted);
                parts.add(((BufferInternal) chunk).getByteBuf().slice(from, to - from));
                wanted -= to - from;
                if (wanted == 0) {
                    break;
                }
            }
            chunkStart = chunkEnd;
        }
        return parts.size() == 1 ? BufferInternal.buffer(parts.get(0))
                : BufferInternal.buffer(Unpooled.wrappedBuffer(parts.size(), parts.toArray(ByteBuf[]::new)));
    }

    /** Gives the memory back; later reads come from the file. */
    void clear() {
        budget.addAndGet(end - start);
        chunks.clear();
        start = end;
    }

    private boolean reserve(long bytes) {
        while (true) {
            long left = budget.get();
            if (left < bytes) {
                return false;
            }
            if (budget.compareAndSet(left, left - bytes)) {
                return true;
            }
        }
    }
}

package io.depproxy.accelerator.stream.spool;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spool directory and its space budget. A download with a known length reserves it all up front; one of unknown
 * length starts only while there is room and is charged as it grows (it may overshoot: refusing bytes mid-stream
 * would fail the clients reading it). It also owns the direct buffers its readers copy through: one pool per process,
 * separate from Netty's, so what streaming from the spool may hold is bounded by the readers alone.
 */
public final class Spool {
    private final Path directory;
    private final long maxBytes;
    private final FileSystem fileSystem;
    private final AtomicLong usedBytes = new AtomicLong();
    private final ByteBufAllocator buffers = readBuffers();

    public Spool(Path directory, long maxBytes, FileSystem fileSystem) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.fileSystem = fileSystem;
    }

    /** A new entry for a download, or null when the spool has no room for it (serve it as a plain pass-through). */
    public SpoolEntry tryCreate(long expectedLength) {
        long reservation = Math.max(expectedLength, 0);
        if (!tryReserve(reservation, expectedLength < 0)) {
            return null;
        }
        Path file = directory.resolve(UUID.randomUUID() + ".spool");
        return new SpoolEntry(this, file, expectedLength, reservation);
    }

    public long usedBytes() {
        return usedBytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path directory() {
        return directory;
    }

    FileSystem fileSystem() {
        return fileSystem;
    }

    ByteBufAllocator buffers() {
        return buffers;
    }

    /** Direct memory the readers' pool holds (in use or kept for reuse). */
    public long bufferBytes() {
        return ((PooledByteBufAllocator) buffers).metric().usedDirectMemory();
    }

    /**
     * Direct only, one arena per core, 4 MiB chunks (16 reader chunks each) given back when empty, and no thread
     * caches: a reader's chunk is far bigger than anything a thread cache keeps anyway.
     */
    private static ByteBufAllocator readBuffers() {
        int arenas = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new PooledByteBufAllocator(true, 0, arenas, 8192, 9, 0, 0, false);
    }

    void charge(long bytes) {
        usedBytes.addAndGet(bytes);
    }

    void release(long bytes) {
        usedBytes.addAndGet(-bytes);
    }

    private boolean tryReserve(long bytes, boolean needsHeadroom) {
        while (true) {
            long used = usedBytes.get();
            boolean fits = needsHeadroom ? used < maxBytes : used + bytes <= maxBytes;
            if (!fits) {
                return false;
            }
            if (usedBytes.compareAndSet(used, used + bytes)) {
                return true;
            }
        }
    }
}

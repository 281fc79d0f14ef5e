package io.depproxy.accelerator.stream.spool;

import io.vertx.core.file.FileSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spool directory and its space budget. A download with a known length reserves it all up front; one of unknown
 * length starts only while there is room and is charged as it grows (it may overshoot: refusing bytes mid-stream
 * would fail the clients reading it).
 */
public final class Spool {
    private static final String SUFFIX = ".spool";
    private static final String LOCK_FILE = ".lock";
    /** Held for the life of the process: a lock is released when its channel is closed. */
    private static final List<FileLock> DIRECTORY_LOCKS = new CopyOnWriteArrayList<>();
    /**
     * Memory for the newest bytes of the downloads ({@link RecentBytes}), shared by all of them: at most
     * {@link #RECENT_BYTES_PER_DOWNLOAD} each, so a few concurrent downloads at full speed are read back from memory and
     * the rest from disk. It is heap the writers' queues hold anyway for a moment ({@link SpoolWriter#MAX_QUEUED}).
     */
    public static final long RECENT_BYTES_BUDGET = 24L * 1024 * 1024;
    static final long RECENT_BYTES_PER_DOWNLOAD = 6L * 1024 * 1024;
    private final Path directory;
    private final long maxBytes;
    private final FileSystem fileSystem;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicLong recentBytesLeft;
    private final AtomicLong lastDownloadEnded = new AtomicLong(System.nanoTime() - (1L << 62)); // long ago
    private final AtomicInteger downloading = new AtomicInteger();
    private final AtomicInteger clientsReading = new AtomicInteger();
    private final AtomicLong lastClientDone = new AtomicLong(System.nanoTime() - (1L << 62)); // long ago

    /** A spool whose readers always read the file (nobody reads at the writer's edge, e.g. a hot-tier fill). */
    public Spool(Path directory, long maxBytes, FileSystem fileSystem) {
        this(directory, maxBytes, fileSystem, 0);
    }

    public Spool(Path directory, long maxBytes, FileSystem fileSystem, long recentBytesBudget) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.fileSystem = fileSystem;
        this.recentBytesLeft = new AtomicLong(recentBytesBudget);
    }

    /**
     * Takes the directory for this process and deletes the spool files a previous one left (it crashed or was killed
     * mid-download): nothing can read them and their space is in no budget. Only this directory's own
     * {@code *.spool} files, never a subdirectory such as the hot tier's (which recovers its own files). The
     * directory is taken with an exclusive lock on {@code .lock} in it, held until the process exits: while another
     * live accelerator holds it (two sharing one directory by mistake), nothing is deleted. Blocking: call at
     * start-up, before any download.
     *
     * @return how many files were deleted, or -1 when another process uses the directory
     */
    public static int removeLeftovers(Path directory) throws IOException {
        if (!lock(directory)) {
            return -1;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean lock(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return false;
        }
        DIRECTORY_LOCKS.add(lock);
        return true;
    }

    /** A new entry for a download, or null when the spool has no room for it (serve it as a plain pass-through). */
    public SpoolEntry tryCreate(long expectedLength) {
        long reservation = Math.max(expectedLength, 0);
        if (!tryReserve(reservation, expectedLength < 0)) {
            return null;
        }
        Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
        downloading.incrementAndGet();
        return new SpoolEntry(this, file, expectedLength, reservation,
                new RecentBytes(recentBytesLeft, RECENT_BYTES_PER_DOWNLOAD));
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

    /** Entries whose download is still arriving: neither verified nor failed. */
    public int downloadsInProgress() {
        return downloading.get();
    }

    /** {@link System#nanoTime()} when the last download ended (verified or failed); long ago before the first. */
    public long lastDownloadEndedNanos() {
        return lastDownloadEnded.get();
    }

    /** Clients (and peer replicas) reading a download of this spool now; a store's own reading is not counted. */
    public int clientsReading() {
        return clientsReading.get();
    }

    /** {@link System#nanoTime()} when a client last stopped reading; long ago before the first. */
    public long lastClientDoneNanos() {
        return lastClientDone.get();
    }

    void clientStarted() {
        clientsReading.incrementAndGet();
    }

    void clientDone() {
        lastClientDone.set(System.nanoTime());
        clientsReading.decrementAndGet();
    }

    void downloadEnded() {
        lastDownloadEnded.set(System.nanoTime());
        downloading.decrementAndGet();
    }

    /** Memory for recent bytes not taken by any download now. */
    long recentBytesLeft() {
        return recentBytesLeft.get();
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

package io.depproxy.accelerator.stream.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One download in the spool: a file written by one {@link SpoolWriter} and read by any number of {@link SpoolReader}s
 * behind it, possibly on other event loops (hence the locking). Readers see every byte but the last until the
 * download is verified, so a client never completes a wrong blob. The file is deleted once the download's owner
 * {@linkplain #release() released} it and no reader is left.
 */
public final class SpoolEntry {
    /** What readers may see; {@code version} changes on every update so a waiter never misses one. */
    public record Progress(long written, boolean verified, String sha256Hex, Throwable failure, long version) {
        public long readableLimit() {
            return verified ? written : Math.max(0, written - 1);
        }
    }

    private final Spool spool;
    private final Path file;
    private final long expectedLength;
    private final RecentBytes recent;
    private long written;
    private long charged;
    private long version;
    private boolean verified;
    private String sha256Hex;
    private Throwable failure;
    private int readers;
    private boolean released;
    private boolean deleted;
    private List<Runnable> waiters = new ArrayList<>();
    /** Waiters for a count of written bytes: {@link #onWritten}. */
    private List<Threshold> thresholds = new ArrayList<>();
    private final List<Consumer<Throwable>> failureWatchers = new ArrayList<>();

    SpoolEntry(Spool spool, Path file, long expectedLength, long reservation, RecentBytes recent) {
        this.spool = spool;
        this.file = file;
        this.expectedLength = expectedLength;
        this.charged = reservation;
        this.recent = recent;
    }

    public Path file() {
        return file;
    }

    /** The upstream Content-Length, or -1 when it sent none. */
    public long expectedLength() {
        return expectedLength;
    }

    public synchronized Progress progress() {
        return new Progress(written, verified, sha256Hex, failure, version);
    }

    /** Calls {@code wake} once, on the next change after {@code seenVersion} (at once if it already happened). */
    public void onChange(long seenVersion, Runnable wake) {
        synchronized (this) {
            if (version == seenVersion) {
                waiters.add(wake);
                return;
            }
        }
        wake.run();
    }

    /**
     * Calls {@code wake} once, when at least {@code atLeast} bytes are written or the download is verified or failed
     * (at once if that already happened): a reader that wants a batch worth a send is not woken for every small one.
     */
    public void onWritten(long atLeast, Runnable wake) {
        synchronized (this) {
            if (written < atLeast && !verified && failure == null) {
                thresholds.add(new Threshold(atLeast, wake));
                return;
            }
        }
        wake.run();
    }

    private record Threshold(long atLeast, Runnable wake) {
    }

    /**
     * Calls {@code watcher} once if the download fails (at once if it already did), whatever the caller is doing:
     * a reader that is not reading (its client applies backpressure) learns of a failure without polling.
     */
    public void onFailure(Consumer<Throwable> watcher) {
        Throwable already;
        synchronized (this) {
            already = failure;
            if (already == null) {
                failureWatchers.add(watcher);
                return;
            }
        }
        watcher.accept(already);
    }

    /** Completes on {@code context} once {@code offset} bytes are written or the download is verified; fails with it. */
    public Future<Progress> awaitWritten(Context context, long offset) {
        Promise<Progress> promise = Promise.promise();
        checkWritten(context, offset, promise);
        return promise.future();
    }

    public void markVerified(String sha256) {
        update(() -> {
            if (failure == null && !verified) {
                spool.downloadEnded();
                verified = true;
                sha256Hex = sha256;
                if (readers == 0) {
                    recent.clear();
                }
            }
        });
    }

    /** Downloads of the same spool still arriving, this one included until it is verified or failed. */
    public int downloadsInProgress() {
        return spool.downloadsInProgress();
    }

    /** {@link System#nanoTime()} when the last download of the same spool ended (this one, once it has). */
    public long lastDownloadEndedNanos() {
        return spool.lastDownloadEndedNanos();
    }

    /** Clients reading downloads of the same spool now ({@link SpoolReader#openForClient}). */
    public int clientsReading() {
        return spool.clientsReading();
    }

    /** {@link System#nanoTime()} when a client of the same spool last stopped reading. */
    public long lastClientDoneNanos() {
        return spool.lastClientDoneNanos();
    }

    Spool spool() {
        return spool;
    }

    /**
     * Up to {@code max} bytes at {@code position} from memory, without a copy, when they are among the newest on disk;
     * null otherwise (read them from the file). Never more than {@link Progress#written()}: check the readable limit.
     */
    synchronized Buffer recentBytes(long position, int max) {
        return recent.slice(position, max);
    }

    /** Fails every reader, now and later. Also used to abort a verified download that nobody reads any more. */
    public void fail(Throwable cause) {
        List<Consumer<Throwable>> watchers = new ArrayList<>();
        update(() -> {
            if (failure == null) {
                if (!verified) {
                    spool.downloadEnded();
                }
                failure = cause;
                recent.clear();
                watchers.addAll(failureWatchers);
                failureWatchers.clear();
            }
        });
        watchers.forEach(watcher -> watcher.accept(cause));
    }

    /** The download's owner is done with it; the file goes once the last reader closes. */
    public void release() {
        boolean delete;
        synchronized (this) {
            released = true;
            delete = readers == 0 && !deleted;
            deleted |= delete;
        }
        if (delete) {
            delete();
        }
    }

    /**
     * {@code batch} ({@code bytes} in all) is on disk after what was written before. A batch that lands after the
     * file was deleted (a download stopped while a batch was on its way to disk) is not counted: its charge and its
     * recent bytes would never be given back.
     */
    void advance(long bytes, List<Buffer> batch) {
        long overshoot = updateReturning(() -> {
            if (deleted) {
                return 0L;
            }
            recent.append(written, batch, bytes);
            written += bytes;
            long extra = Math.max(0, written - charged);
            charged += extra;
            return extra;
        });
        if (overshoot > 0) {
            spool.charge(overshoot);
        }
    }

    /** False when the file is already gone: the caller must not read it. */
    synchronized boolean retainReader() {
        if (deleted) {
            return false;
        }
        readers++;
        return true;
    }

    void releaseReader() {
        boolean delete;
        synchronized (this) {
            readers--;
            if (readers == 0 && verified) {
                recent.clear();
            }
            delete = released && readers == 0 && !deleted;
            deleted |= delete;
        }
        if (delete) {
            delete();
        }
    }

    private void checkWritten(Context context, long offset, Promise<Progress> promise) {
        Progress now = progress();
        if (now.failure() != null) {
            promise.fail(now.failure());
        } else if (now.written() >= offset || now.verified()) {
            promise.complete(now);
        } else {
            onChange(now.version(), () -> context.runOnContext(v -> checkWritten(context, offset, promise)));
        }
    }

    private void update(Runnable change) {
        updateReturning(() -> {
            change.run();
            return 0L;
        });
    }

    private long updateReturning(LongSupplier change) {
        List<Runnable> wake;
        long result;
        synchronized (this) {
            result = change.getAsLong();
            version++;
            wake = waiters;
            waiters = new ArrayList<>();
            if (!thresholds.isEmpty()) {
                List<Threshold> waiting = new ArrayList<>();
                for (Threshold threshold : thresholds) {
                    if (written >= threshold.atLeast() || verified || failure != null) {
                        wake.add(threshold.wake());
                    } else {
                        waiting.add(threshold);
                    }
                }
                thresholds = waiting;
            }
        }
        wake.forEach(Runnable::run);
        return result;
    }

    private void delete() {
        long bytes;
        synchronized (this) {
            bytes = charged;
            recent.clear();
        }
        spool.fileSystem().delete(file.toString()).onComplete(ar -> spool.release(bytes));
    }
}

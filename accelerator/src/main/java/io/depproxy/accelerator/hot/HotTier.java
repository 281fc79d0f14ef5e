package io.depproxy.accelerator.hot;

import io.depproxy.accelerator.stream.spool.Spool;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accelerator's hot tier: verified objects on local disk, content-addressed by digest
 * ({@code <dir>/sha256/<hex>}), bounded by {@code maxBytes} with least-recently-served eviction. Files enter only
 * whole and verified: a download whose sha256 matched is linked in, an object-storage read is written to
 * {@code <dir>/tmp/} while it is served and renamed in once its sha256 matched. At start {@code tmp/} is emptied and
 * every file is hashed again in the background; a file becomes servable once it passed, and is deleted otherwise.
 * The control plane still authorizes and counts every request: this only changes where the bytes come from.
 */
public final class HotTier {
    static final String FILES = "sha256";
    static final String TEMPORARY = "tmp";
    private static final Logger LOG = LoggerFactory.getLogger(HotTier.class);
    private static final HotTier DISABLED = new HotTier(null, null, new HotIndex(0), Future.succeededFuture(), null);

    private final Vertx vertx;
    private final Path directory;
    private final HotIndex index;
    private final Future<Void> recovered;
    /** Where fills from object storage are written before they are verified; its budget is the index's. */
    private final Spool staging;
    private final AtomicLong evictions = new AtomicLong();

    private HotTier(Vertx vertx, Path directory, HotIndex index, Future<Void> recovered, Spool staging) {
        this.vertx = vertx;
        this.directory = directory;
        this.index = index;
        this.recovered = recovered;
        this.staging = staging;
    }

    public static HotTier disabled() {
        return DISABLED;
    }

    /**
     * Creates the directories and empties {@code tmp/} (blocking: call at start-up, off the event loop), then checks
     * the files already there in the background; {@link #recovered()} completes when that is done.
     */
    public static HotTier open(Vertx vertx, Path directory, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            return DISABLED;
        }
        Files.createDirectories(directory.resolve(FILES));
        Files.createDirectories(directory.resolve(TEMPORARY));
        HotRecovery.emptyTemporary(directory.resolve(TEMPORARY));
        HotIndex index = new HotIndex(maxBytes);
        Future<Void> recovered = HotRecovery.verifyAll(vertx, directory.resolve(FILES),
                file -> index.admit(file).forEach(HotRecovery::deleteQuietly));
        return new HotTier(vertx, directory, index, recovered,
                new Spool(directory.resolve(TEMPORARY), Long.MAX_VALUE, vertx.fileSystem()));
    }

    public boolean enabled() {
        return directory != null;
    }

    /** Completes once the files found at start are verified (and admitted) or deleted. */
    public Future<Void> recovered() {
        return recovered;
    }

    /** The verified copy of {@code digest}, if held; counts as a use for eviction. */
    public Optional<HotFile> find(String digest) {
        return enabled() ? index.get(digest) : Optional.empty();
    }

    /** A held file failed a check when it was about to be served: it is forgotten and deleted. */
    public void discard(HotFile file, String reason) {
        if (index.remove(file)) {
            LOG.warn("hot tier: dropping {}: {}", file.digest(), reason);
            deleteLater(file.path());
        }
    }

    /**
     * Takes in a spool file whose bytes were verified to hash to {@code digest}: hard-linked when the hot tier is on
     * the same file system (the spool file may be deleted afterwards), copied otherwise. Never fails; completes
     * when the file is servable or was not taken.
     */
    public Future<Void> adopt(Context context, String digest, Path verifiedFile, long size) {
        if (!enabled() || !reserve(digest, size)) {
            return Future.succeededFuture();
        }
        Path temporary = temporaryFile();
        return context.executeBlocking(() -> {
            try {
                Files.createLink(temporary, verifiedFile);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(verifiedFile, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            return install(temporary, digest, size);
        }, false).<Void>map(file -> {
            index.commit(file);
            return null;
        }).recover(err -> {
            index.cancel(digest);
            deleteLater(temporary);
            LOG.warn("hot tier: could not take in {}: {}", digest, err.toString());
            return Future.succeededFuture();
        });
    }

    /**
     * A fill for an object about to be read from object storage; completes with null when it is held, filling,
     * cannot fit or the temporary file could not be created.
     */
    public Future<HotFill> startFill(Context context, String digest, long size) {
        if (!enabled() || !reserve(digest, size)) {
            return Future.succeededFuture();
        }
        SpoolEntry entry = staging.tryCreate(size);
        return HotFill.open(this, context, digest, size, entry);
    }

    public long usedBytes() {
        return index.usedBytes();
    }

    public long maxBytes() {
        return index.maxBytes();
    }

    public int fileCount() {
        return index.fileCount();
    }

    public long evictions() {
        return evictions.get();
    }

    /** Runs on a worker: moves a complete, verified temporary file to its digest's name. */
    HotFile install(Path temporary, String digest, long size) throws IOException {
        Path target = directory.resolve(FILES).resolve(digest.substring("sha256:".length()));
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new HotFile(digest, target, size, Files.getLastModifiedTime(target).toMillis());
    }

    void committed(HotFile file) {
        index.commit(file);
    }

    /** A fill gave up; its temporary file is deleted by its spool entry. */
    void abandoned(String digest) {
        index.cancel(digest);
    }

    private boolean reserve(String digest, long size) {
        HotIndex.Reservation reservation = index.reserve(digest, size);
        evict(reservation.evicted());
        return reservation.granted();
    }

    private void evict(List<HotFile> files) {
        for (HotFile file : files) {
            evictions.incrementAndGet();
            deleteLater(file.path());
        }
    }

    private Path temporaryFile() {
        return directory.resolve(TEMPORARY).resolve(UUID.randomUUID() + ".part");
    }

    /** Deleting a file that is being sent is fine: the open descriptor keeps its bytes until the send ends. */
    private void deleteLater(Path file) {
        vertx.fileSystem().delete(file.toString()).onFailure(err -> {
            if (Files.exists(file)) {
                LOG.warn("hot tier: could not delete {}: {}", file, err.toString());
            }
        });
    }
}

package io.depproxy.accelerator.stream.spool;

import io.depproxy.contracts.Digests;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes a download into its spool file, counting bytes and hashing them as they pass. Readers are told about a
 * byte only once its write completed, in order (AsyncFile may complete concurrent writes out of order).
 */
public final class SpoolWriter implements WriteStream<Buffer> {
    private final SpoolEntry entry;
    private final AsyncFile file;
    private final MessageDigest sha256 = Digests.newSha256();
    private long count;
    private String sha256Hex;
    private boolean closed;
    private Future<Void> lastWrite = Future.succeededFuture();

    private SpoolWriter(SpoolEntry entry, AsyncFile file) {
        this.entry = entry;
        this.file = file;
    }

    /** Creates the entry's file; call on the context that will write it. */
    public static Future<SpoolWriter> open(Vertx vertx, SpoolEntry entry) {
        OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true).setRead(false);
        return vertx.fileSystem().open(entry.file().toString(), options).map(file -> new SpoolWriter(entry, file));
    }

    @Override
    public Future<Void> write(Buffer data) {
        int length = data.length();
        sha256.update(data.getBytes());
        count += length;
        Future<Void> written = file.write(data);
        lastWrite = lastWrite.compose(v -> written).onSuccess(v -> entry.advance(length));
        return written;
    }

    /** Completes when every byte is on disk and the file is closed. */
    @Override
    public Future<Void> end() {
        return lastWrite.compose(v -> close());
    }

    /** Closes the file after a failed download (if still open); the entry is failed by the caller. */
    public void abort() {
        close();
    }

    private Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        return file.close();
    }

    public long count() {
        return count;
    }

    /** The digest of everything written; call after {@link #end()}. */
    public String sha256Hex() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
        }
        return sha256Hex;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        file.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        file.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        file.drainHandler(handler);
        return this;
    }
}

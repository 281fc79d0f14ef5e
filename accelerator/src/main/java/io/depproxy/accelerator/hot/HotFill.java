package io.depproxy.accelerator.hot;

import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.stream.spool.SpoolWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Copies an object into the hot tier while it is served from object storage: every chunk the client is sent is also
 * written here, and hashed, off the event loop (a {@link SpoolWriter} into {@code tmp/}); its queue is bounded, so a
 * disk slower than the client slows that first read to the disk's pace. A write that fails ends the fill, never the
 * client's stream. Only a copy of exactly the announced length whose sha256 equals the digest is renamed in;
 * anything else is deleted.
 */
public final class HotFill implements WriteStream<Buffer> {
    private final HotTier tier;
    private final Context context;
    private final String digest;
    private final long size;
    private final SpoolEntry entry;
    private final SpoolWriter writer;
    private boolean over;
    private Handler<Void> drainHandler;

    private HotFill(HotTier tier, Context context, String digest, long size, SpoolEntry entry, SpoolWriter writer) {
        this.tier = tier;
        this.context = context;
        this.digest = digest;
        this.size = size;
        this.entry = entry;
        this.writer = writer;
    }

    /** Opens the temporary file; null when it could not be (the reservation is given back). */
    static Future<HotFill> open(HotTier tier, Context context, String digest, long size, SpoolEntry entry) {
        return SpoolWriter.open(context.owner(), entry)
                .map(writer -> new HotFill(tier, context, digest, size, entry, writer))
                .recover(err -> {
                    entry.release();
                    tier.abandoned(digest);
                    return Future.succeededFuture();
                });
    }

    /** One more chunk of the object, in order; never fails (a failed write ends the fill). Call on its context. */
    @Override
    public Future<Void> write(Buffer chunk) {
        if (!over) {
            writer.write(chunk).onFailure(err -> abandon());
        }
        return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
        return !over && writer.writeQueueFull();
    }

    @Override
    public HotFill drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        writer.drainHandler(handler);
        return this;
    }

    @Override
    public HotFill exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public HotFill setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    /** Use {@link #complete()}: only the caller knows whether the object was sent whole. */
    @Override
    public Future<Void> end() {
        return complete();
    }

    /** The object was sent whole: verify the copy and make it servable. Completes when that is decided. */
    public Future<Void> complete() {
        if (over) {
            return Future.succeededFuture();
        }
        over = true;
        return writer.end().compose(v -> {
            if (writer.count() != size || !digest.equals("sha256:" + writer.sha256Hex())) {
                return Future.failedFuture(new IllegalStateException("hot tier: copy of " + digest
                        + " does not match (" + writer.count() + " of " + size + " bytes)"));
            }
            return context.executeBlocking(() -> tier.install(entry.file(), digest, size), false);
        }).onSuccess(tier::committed).onFailure(err -> tier.abandoned(digest))
                .<Void>mapEmpty().recover(err -> Future.succeededFuture())
                .eventually(() -> {
                    entry.release();
                    return Future.succeededFuture();
                });
    }

    /** The stream broke or the disk fell behind: nothing of it is kept. */
    public void abandon() {
        if (over) {
            return;
        }
        over = true;
        writer.abort();
        entry.fail(new IllegalStateException("hot tier fill abandoned"));
        entry.release();
        tier.abandoned(digest);
        if (drainHandler != null) {
            drainHandler.handle(null);
        }
    }
}

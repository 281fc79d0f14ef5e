package io.depproxy.accelerator.inject;

import io.depproxy.contracts.Digests;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An upstream body passed straight to one client (the spool had no room), checked on the way: every chunk is hashed,
 * and the latest one is held back until the next arrives, so the client gets the last bytes only once the length
 * and the sha256 are known to match. On a mismatch the stream fails instead and the client never completes a wrong
 * blob. Hashing here is on the event loop: this path only runs while the spool is full.
 */
final class VerifiedPassThrough implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final long expectedLength;
    private final String digest;
    private final MessageDigest sha256 = Digests.newSha256();
    private Buffer held;
    private long received;
    private boolean paused;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    /** @param expectedLength the upstream Content-Length, or -1; @param digest the promised digest, or null */
    VerifiedPassThrough(ReadStream<Buffer> source, long expectedLength, String digest) {
        this.source = source;
        this.expectedLength = expectedLength;
        this.digest = digest;
    }

    /** Bytes received from the source so far. */
    long received() {
        return received;
    }

    /** True while the consumer holds the source back (its client is not taking bytes). */
    boolean paused() {
        return paused;
    }

    @Override
    public VerifiedPassThrough handler(Handler<Buffer> handler) {
        this.handler = handler;
        source.handler(handler == null ? null : this::onChunk);
        return this;
    }

    @Override
    public VerifiedPassThrough endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        source.endHandler(endHandler == null ? null : v -> onEnd());
        return this;
    }

    @Override
    public VerifiedPassThrough exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public VerifiedPassThrough pause() {
        paused = true;
        source.pause();
        return this;
    }

    @Override
    public VerifiedPassThrough resume() {
        paused = false;
        source.resume();
        return this;
    }

    @Override
    public VerifiedPassThrough fetch(long amount) {
        paused = false;
        source.fetch(amount);
        return this;
    }

    private void onChunk(Buffer chunk) {
        received += chunk.length();
        sha256.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
        Buffer previous = held;
        held = chunk;
        if (previous != null) {
            handler.handle(previous);
        }
    }

    private void onEnd() {
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        String problem = expectedLength >= 0 && received != expectedLength
                ? "upstream sent " + received + " bytes but announced " + expectedLength
                : digest != null && !digest.equals(actual) ? "digest mismatch: expected " + digest + ", got " + actual
                : null;
        if (problem != null) {
            held = null;
            if (exceptionHandler != null) {
                exceptionHandler.handle(new VerificationFailure("send-dependency pass-through: " + problem));
            }
            return;
        }
        if (held != null && handler != null) {
            handler.handle(held);
            held = null;
        }
        endHandler.handle(null);
    }
}

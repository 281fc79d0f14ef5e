package io.depproxy.accelerator.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Optional;

/** Reads a small answer (an error document, an internal JSON reply) without ever holding more than a limit. */
public final class BoundedBody {
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private BoundedBody() {
    }

    /** Collects chunks while they fit in the limit; past it, keeps nothing more and remembers the body was longer. */
    public static final class Collector {
        private final Buffer collected = Buffer.buffer();
        private final int limit;
        private boolean tooLong;

        public Collector(int limit) {
            this.limit = limit;
        }

        public void add(Buffer chunk) {
            if (!tooLong && collected.length() + chunk.length() <= limit) {
                collected.appendBuffer(chunk);
            } else {
                tooLong = true;
            }
        }

        /** The body, or empty when it was longer than the limit. */
        public Optional<Buffer> body() {
            return tooLong ? Optional.empty() : Optional.of(collected);
        }
    }

    /** The body when it fits in {@code limit} bytes, empty when it is longer (the rest is read and dropped). */
    public static Future<Optional<Buffer>> read(ReadStream<Buffer> response, int limit) {
        Promise<Optional<Buffer>> result = Promise.promise();
        Collector collector = new Collector(limit);
        response.handler(collector::add);
        response.exceptionHandler(result::tryFail);
        response.endHandler(v -> result.tryComplete(collector.body()));
        response.resume();
        return result.future();
    }

    public static Future<Optional<Buffer>> read(ReadStream<Buffer> response) {
        return read(response, DEFAULT_LIMIT);
    }

    /** Reads and drops the body so the connection can be reused. */
    public static Future<Void> discard(ReadStream<Buffer> response) {
        return read(response, 0).mapEmpty();
    }
}

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

    /** The body when it fits in {@code limit} bytes, empty when it is longer (the rest is read and dropped). */
    public static Future<Optional<Buffer>> read(ReadStream<Buffer> response, int limit) {
        Promise<Optional<Buffer>> result = Promise.promise();
        Buffer collected = Buffer.buffer();
        boolean[] tooLong = {false};
        response.handler(chunk -> {
            if (!tooLong[0] && collected.length() + chunk.length() <= limit) {
                collected.appendBuffer(chunk);
            } else {
                tooLong[0] = true;
            }
        });
        response.exceptionHandler(result::tryFail);
        response.endHandler(v -> result.tryComplete(tooLong[0] ? Optional.empty() : Optional.of(collected)));
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

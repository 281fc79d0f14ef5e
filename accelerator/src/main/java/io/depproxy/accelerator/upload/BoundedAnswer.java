package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.BoundedBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.util.Optional;

/**
 * The Web Client body of a control-plane answer, held only up to {@link BoundedBody#DEFAULT_LIMIT}: the body, or
 * empty when it was longer (the rest is read and dropped). The client's own buffer codec would keep any size.
 */
final class BoundedAnswer implements BodyCodec<Optional<Buffer>> {
    static final BoundedAnswer CODEC = new BoundedAnswer();

    private BoundedAnswer() {
    }

    @Override
    public BodyStream<Optional<Buffer>> stream() {
        return new Collector();
    }

    private static final class Collector implements BodyStream<Optional<Buffer>> {
        private final BoundedBody.Collector collected = new BoundedBody.Collector(BoundedBody.DEFAULT_LIMIT);
        private final Promise<Optional<Buffer>> result = Promise.promise();

        @Override
        public Future<Optional<Buffer>> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable cause) {
            result.tryFail(cause);
        }

        @Override
        public Future<Void> write(Buffer chunk) {
            collected.add(chunk);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> end() {
            result.tryComplete(collected.body());
            return Future.succeededFuture();
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}

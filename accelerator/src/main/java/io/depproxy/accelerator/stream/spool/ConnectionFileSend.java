package io.depproxy.accelerator.stream.spool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.VertxConnection;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A {@link SpoolReader.FileSend} onto a plain HTTP/1.x connection whose head is already out (a client's response, a
 * PUT to the object store): the hot tier's {@code sendFile} may only start a response, and a request has none.
 * Vert.x's HTTP/1.x connections send file regions (sendfile) through the same outbound queue as the stream's own
 * writes. It is an internal API of Vert.x 5: any other connection (TLS, HTTP/2) gets none, and its reader reads the
 * file through memory as before.
 */
public final class ConnectionFileSend {
    private ConnectionFileSend() {
    }

    /** The file send for {@code connection}, when it has one; {@code sent} counts the bytes once they are out. */
    public static Optional<SpoolReader.FileSend> of(HttpConnection connection, LongConsumer sent) {
        // under TLS the bytes pass through the JVM anyway (to be encrypted): the reader's own 1 MiB reads do that best
        if (connection.isSsl() || !(connection instanceof VertxConnection vertxConnection)) {
            return Optional.empty();
        }
        return Optional.of((file, position, length) -> {
            Promise<Void> done = Promise.promise();
            vertxConnection.sendFile(file, position, length).addListener(future -> {
                if (future.isSuccess()) {
                    sent.accept(length);
                    done.complete();
                } else {
                    done.fail(future.cause());
                }
            });
            return done.future();
        });
    }
}

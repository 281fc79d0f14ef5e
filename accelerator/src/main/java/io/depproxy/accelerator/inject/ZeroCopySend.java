package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.VertxConnection;
import java.util.Optional;

/**
 * A zero-copy file send into a response whose head is already out, for the clients of a download that read its bytes
 * from the spool file: the hot tier's {@code sendFile} may only start a response, while a client that joined a
 * running download gets the bytes before its position through the response and the rest from the file as they land.
 * Vert.x's HTTP/1.x connection sends file regions through the same outbound queue as the response's writes (in order),
 * with a chunked copy under TLS; it is an internal API of Vert.x 5, so any other connection (HTTP/2) gets none and the
 * reader reads the file as before. The bytes are counted on the exchange (access log, metrics).
 */
final class ZeroCopySend {
    private ZeroCopySend() {
    }

    /** The file send for this client's connection, when it has one. */
    static Optional<SpoolReader.FileSend> of(Exchange exchange) {
        if (exchange.request().version() == HttpVersion.HTTP_2
                || !(exchange.request().connection() instanceof VertxConnection connection)) {
            return Optional.empty();
        }
        return Optional.of((file, position, length) -> {
            Promise<Void> sent = Promise.promise();
            connection.sendFile(file, position, length).addListener(future -> {
                if (future.isSuccess()) {
                    exchange.sentAside(length);
                    sent.complete();
                } else {
                    sent.fail(future.cause());
                }
            });
            return sent.future();
        });
    }
}

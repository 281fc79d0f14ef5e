package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.stream.spool.ConnectionFileSend;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.vertx.core.http.HttpVersion;
import java.util.Optional;

/**
 * A zero-copy file send into a client's response whose head is already out, for the clients of a download that read
 * its bytes from the spool file: a client that joined a running download gets the bytes behind the writer's edge from
 * the file as a hit from the hot tier does. HTTP/1.x only ({@link ConnectionFileSend}); the bytes are counted on the
 * exchange (access log, metrics).
 */
final class ZeroCopySend {
    private ZeroCopySend() {
    }

    /** The file send for this client's connection, when it has one. */
    static Optional<SpoolReader.FileSend> of(Exchange exchange) {
        if (exchange.request().version() == HttpVersion.HTTP_2) {
            return Optional.empty();
        }
        return ConnectionFileSend.of(exchange.request().connection(), exchange::sentAside);
    }
}

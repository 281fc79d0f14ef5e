package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.spool.ConnectionFileSend;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Serves another replica (send-peer) from a download this one is running or has just finished: exactly as a local
 * client that joins it, from byte 0 of the spool entry through {@link SpoolReader} (the last byte only once the
 * download is verified; a download that fails resets the stream), with the head its own clients get. Nothing but a
 * spooled download is served: an upstream error, a pass-through, a failed or already removed download answer 404
 * before any byte, and the relaying replica then asks the control plane again.
 */
public final class PeerSource {
    private PeerSource() {
    }

    /** Completes once {@code response} was answered (404, or the whole stream, or a reset). */
    public static Future<Void> serve(Vertx vertx, DependencyFetch fetch, HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Context here = vertx.getOrCreateContext();
        Promise<FetchHead> head = Promise.promise();
        fetch.head().onComplete(ar -> here.runOnContext(v -> head.handle(ar)));
        return head.future().transform(ar -> {
            if (ar.failed() || !(ar.result() instanceof FetchHead.Spooled spooled)
                    || spooled.entry().progress().failure() != null) {
                return notHere(response);
            }
            fetch.clientAttached();
            return spooled.entry().awaitWritten(here, 1)
                    .compose(first -> SpoolReader.openForClient(vertx, spooled.entry(), 0, SpoolReader.TO_THE_END))
                    .transform(opened -> {
                        if (opened.failed() || spooled.entry().progress().failure() != null) {
                            if (opened.succeeded()) {
                                opened.result().close();
                            }
                            fetch.clientDetached();
                            return notHere(response);
                        }
                        return stream(spooled, opened.result(), request).andThen(done -> fetch.clientDetached());
                    });
        });
    }

    private static Future<Void> stream(FetchHead.Spooled spooled, SpoolReader reader, HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.closeHandler(v -> reader.cancel(new ClientGoneException()));
        response.setStatusCode(200).headers().addAll(spooled.headers());
        if (!response.headers().contains("Content-Length")) {
            response.setChunked(true);
        }
        response.writeHead();
        // bytes already on disk go to the peer zero-copy, as they go to a local client behind the download
        SpoolReader.FileSend fileSend = ConnectionFileSend.of(request.connection(), sent -> { })
                .orElse(null);
        return ResettingPipe.endOrReset(reader.sendTo(response, fileSend), response).andThen(ar -> reader.close());
    }

    private static Future<Void> notHere(HttpServerResponse response) {
        return response.setStatusCode(404).putHeader("Content-Length", "0").end();
    }
}

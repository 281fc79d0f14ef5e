package io.depproxy.accelerator.stream;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.function.Function;

/**
 * Pipes that end their destination only when the source ended cleanly and reset it otherwise. Vert.x's default
 * pipe ends the destination on failure too, which would complete a truncated body at the client or at the store.
 * The copying itself is a {@link BoundedCopy}: memory per stream is bounded in bytes, not in chunks.
 */
public final class ResettingPipe {
    private ResettingPipe() {
    }

    /** Streams {@code source} into a client response: end on success, reset on any failure. */
    public static Future<Void> toResponse(ReadStream<Buffer> source, HttpServerResponse response) {
        return endOrReset(BoundedCopy.copy(source, response), response);
    }

    /** Ends {@code response} once {@code copied} (whatever wrote its body) succeeded, resets it otherwise. */
    public static Future<Void> endOrReset(Future<Void> copied, HttpServerResponse response) {
        return copied.transform(ar -> {
            if (ar.succeeded()) {
                return response.end();
            }
            if (!response.closed()) {
                response.reset();
            }
            return Future.failedFuture(ar.cause());
        });
    }

    /** Sends {@code body} as the request body; the request is reset when the body fails. */
    public static Future<HttpClientResponse> send(ReadStream<Buffer> body, HttpClientRequest request) {
        return send(request, destination -> BoundedCopy.copy(body, destination));
    }

    /** Sends what {@code copy} writes into the request as its body; the request is reset when the copy fails. */
    public static Future<HttpClientResponse> send(HttpClientRequest request,
                                                  Function<WriteStream<Buffer>, Future<Void>> copy) {
        // failures surface through the response future; without a handler Vert.x would log each one again
        request.exceptionHandler(err -> {
        });
        Future<Void> copied = copy.apply(request);
        copied.onComplete(ar -> {
            if (ar.succeeded()) {
                request.end();
            } else {
                request.reset(0, ar.cause());
            }
        });
        // a reset fails the response with a bare "Stream reset: 0": the copy's own failure says what broke
        return request.response().recover(err -> Future.failedFuture(copied.failed() ? copied.cause() : err));
    }
}

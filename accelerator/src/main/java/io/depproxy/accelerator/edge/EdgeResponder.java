package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/** Writes what the edge refused, in the error format of the route the client asked for. */
public final class EdgeResponder {
    /** How long a refused client may go on sending its body after the answer before its connection is closed. */
    static final Duration LINGER = Duration.ofSeconds(1);

    private EdgeResponder() {
    }

    public static void refuse(Exchange exchange, EdgeDecision.Refuse refusal) {
        respond(exchange, refusal.surface(), refusal.status(), refusal.code(), refusal.message(), refusal.allow(), null);
    }

    /** 413: the connection closes afterwards, so the body the client is still sending never needs reading. */
    public static void bodyTooLarge(Exchange exchange, Surface surface, Throwable cause) {
        closeAfter(exchange, respond(closing(exchange), surface, 413, RegistryErrorCode.SIZE_INVALID,
                "the request body is too large", null, cause));
    }

    /** 408: the body did not arrive within its deadline; the connection closes, the rest is never read. */
    public static void bodyTimeout(Exchange exchange, Surface surface, Throwable cause) {
        closeAfter(exchange, respond(closing(exchange), surface, 408, RegistryErrorCode.UNKNOWN,
                "the request body did not arrive in time", null, cause));
    }

    /**
     * 503 {@code UNAVAILABLE} with {@code Retry-After}: something this request needs (a control-plane connection, room
     * for its body) is all taken right now. With {@code close}, the connection closes after the answer (a body the
     * client may still be sending is never read).
     */
    public static void busy(Exchange exchange, Surface surface, String message, boolean close, Throwable cause) {
        exchange.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        if (close) {
            closeAfter(exchange, respond(closing(exchange), surface, 503, RegistryErrorCode.UNAVAILABLE, message, null,
                    cause));
        } else {
            respond(exchange, surface, 503, RegistryErrorCode.UNAVAILABLE, message, null, cause);
        }
    }

    /**
     * A request the router failed (a handler threw, or the router itself refused it, e.g. HTTP/1.1 without a Host):
     * a 4xx stays the client's mistake, anything else is ours and a 500.
     */
    public static void failed(Exchange exchange, Surface surface, int status, Throwable cause) {
        if (status == 413) {
            bodyTooLarge(exchange, surface, cause);
        } else if (status >= 400 && status < 500) {
            RegistryErrorCode code = status == 404 ? RegistryErrorCode.NAME_UNKNOWN : RegistryErrorCode.NAME_INVALID;
            respond(exchange, surface, status, code, status == 404 ? "not found" : "the request is not valid", null,
                    cause);
        } else {
            respond(exchange, surface, 500, RegistryErrorCode.UNKNOWN, "internal error", null, cause);
        }
    }

    /**
     * Answers a request Netty could not decode (request line or headers beyond {@link EdgeLimits}, or malformed)
     * in registry JSON: 414, 431 or 400, then closes the connection, as Vert.x's default handler does bare.
     */
    public static Handler<HttpServerRequest> invalidRequests() {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431 : 400;
            String message = switch (status) {
                case 414 -> "the request line is longer than " + EdgeLimits.MAX_REQUEST_LINE_BYTES + " bytes";
                case 431 -> "the request headers are larger than " + EdgeLimits.MAX_HEADER_BYTES + " bytes";
                default -> "the request could not be parsed";
            };
            Exchange exchange = Exchange.begin(request);
            exchange.response().putHeader(HttpHeaders.CONNECTION, "close");
            FailureResponder.respond(exchange, status, RegistryErrorCode.NAME_INVALID, message, cause);
        };
    }

    private static Future<Void> respond(Exchange exchange, Surface surface, int status, RegistryErrorCode code,
                                        String message, String allow, Throwable cause) {
        if (allow != null) {
            exchange.response().putHeader(HttpHeaders.ALLOW, allow);
        }
        return surface.apiErrors()
                ? FailureResponder.respondWithMessage(exchange, status, message, cause)
                : FailureResponder.respond(exchange, status, code, message, cause);
    }

    private static Exchange closing(Exchange exchange) {
        if (!exchange.response().headWritten()) {
            exchange.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        return exchange;
    }

    /**
     * Closes the connection once the answer is written: Vert.x keeps a connection open after a response whose request
     * body has not ended (it waits for the rest before the next request), whatever the response's Connection header.
     */
    private static void closeAfter(Exchange exchange, Future<Void> answered) {
        answered.onComplete(ar -> lingerThenClose(exchange.request()));
    }

    /**
     * A lingering close, as nginx and Apache do it: what the client is still sending is read and dropped until its
     * body ends, for at most {@link #LINGER}, then the connection closes. Closing with bytes unread makes the kernel
     * reset the connection, and a reset can destroy the answer at the client before it was read.
     */
    private static void lingerThenClose(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        Vertx vertx = Vertx.currentContext().owner();
        long timer = vertx.setTimer(LINGER.toMillis(), id -> connection.close());
        request.exceptionHandler(err -> {
            // the connection is being closed either way
        });
        request.handler(chunk -> {
        });
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            connection.close();
        });
        request.resume();
    }
}

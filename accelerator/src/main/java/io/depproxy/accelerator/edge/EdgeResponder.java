package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Writes what the edge refused, in the error format of the route the client asked for. */
public final class EdgeResponder {
    private EdgeResponder() {
    }

    public static void refuse(Exchange exchange, EdgeDecision.Refuse refusal) {
        respond(exchange, refusal.surface(), refusal.status(), refusal.code(), refusal.message(), refusal.allow(), null);
    }

    /** 413: the connection closes afterwards, so the body the client is still sending never needs reading. */
    public static void bodyTooLarge(Exchange exchange, Surface surface, Throwable cause) {
        exchange.response().putHeader(HttpHeaders.CONNECTION, "close");
        respond(exchange, surface, 413, RegistryErrorCode.SIZE_INVALID, "the request body is too large", null, cause);
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

    private static void respond(Exchange exchange, Surface surface, int status, RegistryErrorCode code,
                                String message, String allow, Throwable cause) {
        if (allow != null) {
            exchange.response().putHeader(HttpHeaders.ALLOW, allow);
        }
        if (surface.apiErrors()) {
            FailureResponder.respondWithMessage(exchange, status, message, cause);
        } else {
            FailureResponder.respond(exchange, status, code, message, cause);
        }
    }
}

package io.depproxy.accelerator.http;

import io.depproxy.accelerator.logging.UrlMask;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorBody;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one place that answers a client with an error: a registry JSON body while the head is not sent yet, a stream
 * reset once it is (never an error body after a partial one). Logs the real cause once.
 */
public final class FailureResponder {
    private static final Logger LOG = LoggerFactory.getLogger(FailureResponder.class);

    private FailureResponder() {
    }

    /** @return completes once the answer is written (at once when there was nothing left to write) */
    public static Future<Void> respond(Exchange exchange, int status, RegistryErrorCode code, String message,
                                       Throwable cause) {
        log(exchange, status, message, cause);
        return send(exchange, status, RegistryErrorBody.json(code, message), true);
    }

    /** As {@link #respond}, with the admin API's {@code {"message": …}} body instead of registry JSON. */
    public static Future<Void> respondWithMessage(Exchange exchange, int status, String message, Throwable cause) {
        log(exchange, status, message, cause);
        return send(exchange, status, ContractJson.write(Map.of("message", message)), false);
    }

    /** Resets a response whose head already went out; the client sees a broken stream, never a complete body. */
    public static void reset(Exchange exchange, String message, Throwable cause) {
        log(exchange, Math.max(500, exchange.response().getStatusCode()), message, cause);
        if (!exchange.response().closed()) {
            exchange.response().reset();
        }
    }

    private static Future<Void> send(Exchange exchange, int status, String json, boolean registry) {
        HttpServerResponse response = exchange.response();
        if (response.closed() || response.ended()) {
            return Future.succeededFuture();
        }
        if (response.headWritten()) {
            response.reset();
            return Future.succeededFuture();
        }
        Buffer body = Buffer.buffer(json);
        if (registry) {
            response.putHeader(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE);
        }
        return response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.REGISTRY_ERROR_JSON)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                .end(body);
    }

    private static void log(Exchange exchange, int status, String message, Throwable cause) {
        LoggingEventBuilder event = LOG.atLevel(status >= 500 ? Level.ERROR : Level.INFO)
                .addKeyValue("request_id", exchange.requestId())
                .addKeyValue("route", exchange.route());
        if (exchange.injection() != null) {
            event = event.addKeyValue("injection", exchange.injection());
        }
        event.addKeyValue("status", status)
                .addKeyValue("path", UrlMask.mask(exchange.request().uri()))
                .log("{}: {}", message, cause == null ? "-" : describe(cause));
    }

    private static String describe(Throwable cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return UrlMask.mask(text);
    }
}

package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Reads a forwarded request body whole before the control plane is asked, so a client that trickles its body holds
 * only its own connection, never a control-plane connection: at most {@link EdgeLimits#MAX_FORWARDED_BODY_BYTES},
 * within one total deadline (not an idle timeout a trickled byte would reset), counting the bytes that really arrived
 * against the process-wide {@link BodyBudget}; they are given back when the exchange is over. Requests without a
 * body (every pull) never come here and are not delayed.
 */
public final class RequestBodyReader {
    private final Vertx vertx;
    private final Duration timeout;
    private final BodyBudget budget;

    public RequestBodyReader(Vertx vertx, Duration timeout, BodyBudget budget) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.budget = budget;
    }

    /** Whether the request announces a body: a non-zero Content-Length or a Transfer-Encoding (HTTP/1.1 framing). */
    public static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                || length != null && !length.trim().equals("0");
    }

    /**
     * The whole body, or a failure: {@link BodyTooLargeException}, {@link RequestBodyTimeoutException},
     * {@link BodyBudgetExhaustedException}, or what the connection failed with. After a failure the request is paused
     * and the rest of its body is never read; the caller answers and closes the connection.
     */
    public Future<Buffer> read(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        BodyBudget.Reservation reservation = budget.reservation();
        exchange.onEnd(v -> reservation.release());
        exchange.onClientGone(v -> reservation.release());
        Promise<Buffer> result = Promise.promise();
        // nothing is reserved or allocated for an announced length: a client holds only the bytes it really sent
        Buffer body = Buffer.buffer();
        long timer = vertx.setTimer(timeout.toMillis(), id -> result.tryFail(new RequestBodyTimeoutException(timeout)));
        request.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > EdgeLimits.MAX_FORWARDED_BODY_BYTES) {
                result.tryFail(new BodyTooLargeException(EdgeLimits.MAX_FORWARDED_BODY_BYTES));
            } else if (!reservation.grow(chunk.length())) {
                result.tryFail(new BodyBudgetExhaustedException(budget.used()));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(result::tryFail);
        request.endHandler(v -> result.tryComplete(body));
        result.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) {
                request.pause();
                reservation.release();
            }
        });
        request.resume();
        return result.future();
    }
}

package io.depproxy.accelerator.http;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.observability.RouteTemplate;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One client request as it moves through the accelerator: its id, timing, and what served it. Every answer it gets
 * carries {@code X-Content-Type-Options: nosniff}, set here once for all of them (the accelerator's own, the
 * injections', the control plane's it relays, refusals included): registry answers share an origin with the admin
 * page, and a browser must never take a blob or an error body for a page or a script.
 */
public final class Exchange {
    public static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    public static final String NOSNIFF = "nosniff";

    private final HttpServerRequest request;
    private final String requestId;
    private final long startNanos = System.nanoTime();
    private final List<Handler<Void>> clientGoneHandlers = new ArrayList<>();
    private final List<Handler<Void>> endHandlers = new ArrayList<>();
    private final String route;
    private String injection;
    private Runnable askAgain;
    private boolean askedAgain;
    private long bytesSentAside;

    private Exchange(HttpServerRequest request, String requestId) {
        this.request = request;
        this.requestId = requestId;
        this.route = RouteTemplate.of(request.path());
    }

    /**
     * Starts an exchange; the only place that owns the response's end, close and headers-end handlers (the header
     * is set as the head goes out, so a relayed answer that carries it already still has it once).
     */
    public static Exchange begin(HttpServerRequest request) {
        String id = request.getHeader(Headers.REQUEST_ID);
        Exchange exchange = new Exchange(request, id == null || id.isBlank() ? UUID.randomUUID().toString() : id);
        HttpServerResponse response = request.response();
        response.endHandler(v -> exchange.ended());
        response.closeHandler(v -> exchange.clientGone());
        response.headersEndHandler(v -> response.headers().set(CONTENT_TYPE_OPTIONS, NOSNIFF));
        return exchange;
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public String requestId() {
        return requestId;
    }

    /** Body bytes that went to the client's socket beside the response (a zero-copy file send mid-body). */
    public void sentAside(long bytes) {
        bytesSentAside += bytes;
    }

    /** Body bytes sent to the client: through the response and beside it. */
    public long bytesSent() {
        return request.response().bytesWritten() + bytesSentAside;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The {@link RouteTemplate} of the request path: what logs and metrics call this request. */
    public String route() {
        return route;
    }

    /** The injection that answered, or null when the control plane's answer was relayed as is. */
    public String injection() {
        return injection;
    }

    public void injection(String injection) {
        this.injection = injection;
    }

    /**
     * How to ask the control plane once more for this request (the proxy offers it for a request without a body).
     * Ignored once the request was asked again.
     */
    public void askAgainWith(Runnable askAgain) {
        if (!askedAgain) {
            this.askAgain = askAgain;
        }
    }

    /**
     * Takes the way to ask the control plane again, at most once per client request: an answer that fails the same
     * way a second time is never asked for a third.
     */
    public Optional<Runnable> takeAskAgain() {
        Runnable taken = askAgain;
        askAgain = null;
        askedAgain |= taken != null;
        return Optional.ofNullable(taken);
    }

    /** Runs when the whole response has been written. */
    public void onEnd(Handler<Void> handler) {
        endHandlers.add(handler);
    }

    /** Runs when the connection closes before the response ended (client hung up or we reset the stream). */
    public void onClientGone(Handler<Void> handler) {
        clientGoneHandlers.add(handler);
    }

    private void ended() {
        List.copyOf(endHandlers).forEach(handler -> handler.handle(null));
    }

    private void clientGone() {
        List.copyOf(clientGoneHandlers).forEach(handler -> handler.handle(null));
    }
}

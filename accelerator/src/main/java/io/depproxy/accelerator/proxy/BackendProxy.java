package io.depproxy.accelerator.proxy;

import io.depproxy.accelerator.edge.BodyBudgetExhaustedException;
import io.depproxy.accelerator.edge.BodyTooLargeException;
import io.depproxy.accelerator.edge.EdgeDecision;
import io.depproxy.accelerator.edge.EdgeLimits;
import io.depproxy.accelerator.edge.EdgeResponder;
import io.depproxy.accelerator.edge.RequestBodyReader;
import io.depproxy.accelerator.edge.RequestBodyTimeoutException;
import io.depproxy.accelerator.edge.Surface;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.HopByHopHeaders;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.BiConsumer;

/**
 * The plain reverse proxy to the control plane: same method, the path the edge checked and the query, end-to-end
 * headers except the internal ones plus X-Forwarded-* and X-Request-Id. A request body (at most
 * {@link EdgeLimits#MAX_FORWARDED_BODY_BYTES}; 100-continue is answered here, not forwarded) is read whole by the
 * {@link RequestBodyReader} before a control-plane connection is taken, so a slow client never holds one; a request
 * without a body (every pull) is forwarded at once, unless it is a registry GET the control plane answered already
 * for the client's blob read-ahead ({@link SendDataInterceptor#interceptDecidedAhead}). When every control-plane connection is busy and the wait queue is
 * full, the client gets 503 at once. The answer goes through {@link SendDataInterceptor} first; whatever it does not
 * take is streamed back without hop-by-hop headers and without the send-data header. A GET or HEAD may be asked
 * once more, the same way, when the stored object it was answered with is gone (or the peer it was sent to). The
 * request itself is built by {@link ControlPlaneRequests}.
 */
public final class BackendProxy implements BiConsumer<Exchange, EdgeDecision.Forward> {
    private final HttpClient controlPlane;
    private final SendDataInterceptor interceptor;
    private final RequestBodyReader bodies;
    private final AcceleratorMetrics metrics;
    private final ControlPlaneRequests requests;

    public BackendProxy(HttpClient controlPlane, ControlPlaneRequests requests, SendDataInterceptor interceptor,
                        RequestBodyReader bodies, AcceleratorMetrics metrics) {
        this.controlPlane = controlPlane;
        this.requests = requests;
        this.interceptor = interceptor;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    @Override
    public void accept(Exchange exchange, EdgeDecision.Forward forward) {
        HttpServerRequest request = exchange.request();
        request.pause();
        if (!RequestBodyReader.hasBody(request)) {
            request.resume();
            boolean decidedAhead = request.method() == HttpMethod.GET && forward.surface() == Surface.REGISTRY
                    && interceptor.interceptDecidedAhead(exchange,
                    ControlPlaneRequests.pathAndQuery(exchange, forward.path()));
            if (!decidedAhead) {
                forward(exchange, forward, null);
            }
            return;
        }
        bodies.read(exchange)
                .onSuccess(body -> forward(exchange, forward, body))
                .onFailure(err -> refuseBody(exchange, forward.surface(), err));
    }

    /** Sends the request (with {@code body}, or none) and streams the control plane's answer back. */
    private void forward(Exchange exchange, EdgeDecision.Forward forward, Buffer body) {
        controlPlane.request(requests.forward(exchange, forward.path()))
                .compose(backendRequest -> body == null ? backendRequest.send() : backendRequest.send(body))
                .map(HttpClientResponse::pause)
                .onSuccess(backend -> answer(exchange, forward, backend))
                .onFailure(err -> {
                    if (err instanceof ConnectionPoolTooBusyException) {
                        metrics.edgeRefusal(AcceleratorMetrics.REFUSED_QUEUE_FULL);
                        EdgeResponder.busy(exchange, forward.surface(), "the control plane is busy", false, err);
                    } else {
                        FailureResponder.respond(exchange, 503, RegistryErrorCode.UNAVAILABLE,
                                "the control plane is unavailable", err);
                    }
                });
    }

    private void answer(Exchange exchange, EdgeDecision.Forward forward, HttpClientResponse backend) {
        HttpMethod method = exchange.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            exchange.askAgainWith(() -> askAgain(exchange, forward));
        }
        if (!interceptor.intercept(exchange, backend)) {
            relay(exchange, backend);
        }
    }

    /** The same bodiless request once more (the stored object it was answered with was gone). */
    private void askAgain(Exchange exchange, EdgeDecision.Forward forward) {
        forward(exchange, forward, null);
    }


    private void refuseBody(Exchange exchange, Surface surface, Throwable err) {
        if (err instanceof BodyTooLargeException) {
            EdgeResponder.bodyTooLarge(exchange, surface, err);
        } else if (err instanceof RequestBodyTimeoutException) {
            metrics.edgeRefusal(AcceleratorMetrics.REFUSED_BODY_TIMEOUT);
            EdgeResponder.bodyTimeout(exchange, surface, err);
        } else if (err instanceof BodyBudgetExhaustedException) {
            metrics.edgeRefusal(AcceleratorMetrics.REFUSED_BODY_BUDGET);
            EdgeResponder.busy(exchange, surface, "too many request bodies are being received", true, err);
        } else if (!exchange.response().closed()) {
            // a closed connection (the client went, or was idle too long) has nobody left to answer
            FailureResponder.reset(exchange, "the request body failed", err);
        }
    }

    private static void relay(Exchange exchange, HttpClientResponse backend) {
        HttpServerResponse response = exchange.response().setStatusCode(backend.statusCode());
        response.setStatusMessage(backend.statusMessage());
        MultiMap headers = HopByHopHeaders.endToEnd(backend.headers());
        headers.remove(Headers.SEND_DATA);
        response.headers().addAll(headers);
        int status = backend.statusCode();
        if (!headers.contains(HttpHeaders.CONTENT_LENGTH) && status != 204 && status != 304 && status >= 200) {
            response.setChunked(true);
        }
        ResettingPipe.toResponse(backend, response).onFailure(err -> backend.request().reset());
    }
}

package io.depproxy.accelerator.http;

import io.depproxy.accelerator.edge.EdgeDecision;
import io.depproxy.accelerator.edge.EdgeLimits;
import io.depproxy.accelerator.edge.EdgeResponder;
import io.depproxy.accelerator.edge.EdgeRules;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BiConsumer;

/**
 * The whole routing table: {@link EdgeRules} decides on the raw path; the accelerator's own routes are answered
 * here, refusals too, and what is forwarded goes to the control plane through the proxy with exactly the path that
 * was checked. No body handler anywhere: bodies are streamed, never collected.
 */
public final class Routes implements Handler<HttpServerRequest> {
    private final HealthRoutes health;
    private final BiConsumer<Exchange, EdgeDecision.Forward> proxy;
    private final AcceleratorMetrics metrics;

    public Routes(HealthRoutes health, BiConsumer<Exchange, EdgeDecision.Forward> proxy, AcceleratorMetrics metrics) {
        this.health = health;
        this.proxy = proxy;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange exchange = Exchange.begin(request);
        AccessLog.track(exchange);
        EdgeDecision decision = EdgeRules.decide(request.method(), request.path());
        count(exchange, decision instanceof EdgeDecision.Forward);
        if (decision instanceof EdgeDecision.Refuse refusal) {
            EdgeResponder.refuse(exchange, refusal);
        } else if (decision instanceof EdgeDecision.Forward forward) {
            forward(exchange, forward);
        } else {
            health.handle(exchange);
        }
    }

    private void forward(Exchange exchange, EdgeDecision.Forward forward) {
        if (EdgeLimits.declaresTooLargeBody(exchange.request().getHeader("Content-Length"))) {
            EdgeResponder.bodyTooLarge(exchange, forward.surface(), null);
        } else {
            proxy.accept(exchange, forward);
        }
    }

    /** Counts the request once, when its response ended or its client went away, whichever comes first. */
    private void count(Exchange exchange, boolean stream) {
        if (stream) {
            metrics.streamStarted();
        }
        boolean[] counted = {false};
        Handler<Void> done = v -> {
            if (!counted[0]) {
                counted[0] = true;
                metrics.httpRequest(exchange.route(), exchange.response().getStatusCode());
                if (stream) {
                    metrics.streamEnded();
                }
            }
        };
        exchange.onEnd(done);
        exchange.onClientGone(done);
    }
}

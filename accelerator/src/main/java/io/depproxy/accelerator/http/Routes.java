package io.depproxy.accelerator.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The whole routing table: {@code /-/…} is the accelerator's own (health and metrics), everything else goes to the
 * control plane through the proxy. No body handler anywhere: bodies are streamed, never collected.
 */
public final class Routes implements Handler<HttpServerRequest> {
    private static final String OWN_PREFIX = "/-/";

    private final HealthRoutes health;
    private final Handler<Exchange> proxy;
    private final AcceleratorMetrics metrics;

    public Routes(HealthRoutes health, Handler<Exchange> proxy, AcceleratorMetrics metrics) {
        this.health = health;
        this.proxy = proxy;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange exchange = Exchange.begin(request);
        AccessLog.track(exchange);
        boolean own = request.path().startsWith(OWN_PREFIX);
        count(exchange, !own);
        if (own) {
            health.handle(exchange);
        } else {
            proxy.handle(exchange);
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

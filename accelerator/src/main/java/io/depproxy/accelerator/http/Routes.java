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

    public Routes(HealthRoutes health, Handler<Exchange> proxy) {
        this.health = health;
        this.proxy = proxy;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange exchange = Exchange.begin(request);
        AccessLog.track(exchange);
        if (request.path().startsWith(OWN_PREFIX)) {
            health.handle(exchange);
        } else {
            proxy.handle(exchange);
        }
    }
}

package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** {@code /-/health/live} and {@code /-/health/ready} (the control plane answers). */
public final class HealthRoutes {
    private static final long READY_TIMEOUT_MS = 2_000;
    private static final String UP = "{\"status\":\"UP\"}";
    private static final String DOWN = "{\"status\":\"DOWN\"}";

    private final HttpClient controlPlane;
    private final AcceleratorConfig config;

    public HealthRoutes(HttpClient controlPlane, AcceleratorConfig config) {
        this.controlPlane = controlPlane;
        this.config = config;
    }

    public void live(Exchange exchange) {
        json(exchange, 200, UP);
    }

    public void ready(Exchange exchange) {
        controlPlaneLive().onComplete(ar ->
                json(exchange, ar.succeeded() && ar.result() ? 200 : 503, ar.succeeded() && ar.result() ? UP : DOWN));
    }

    private Future<Boolean> controlPlaneLive() {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(config.resolveOnControlPlane("/-/health/live"))
                .setConnectTimeout(READY_TIMEOUT_MS)
                .setIdleTimeout(READY_TIMEOUT_MS);
        return controlPlane.request(options)
                .compose(request -> request.send())
                .compose(response -> response.end().map(v -> response))
                .map(HttpClientResponse::statusCode)
                .map(status -> status == 200);
    }

    private static void json(Exchange exchange, int status, String body) {
        exchange.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}

package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.inflight.InflightWork;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BiConsumer;

/**
 * The public port's routing table. The first handler runs {@link EdgeRules} on the raw path and answers refusals;
 * the router then dispatches on that same raw path (not its normalised form: what is forwarded is exactly what was
 * checked) to the accelerator's own routes or to the proxy. No body handler anywhere: a forwarded body is read by
 * the proxy itself, bounded in size, time and memory ({@link io.depproxy.accelerator.edge.RequestBodyReader}).
 * Failures are answered in the error format of the route the client asked for.
 */
public final class EdgeRouter {
    private static final String EXCHANGE = "depproxy.exchange";
    private static final String DECISION = "depproxy.decision";

    private final AcceleratorMetrics metrics;
    private final InflightWork work;

    private EdgeRouter(AcceleratorMetrics metrics, InflightWork work) {
        this.metrics = metrics;
        this.work = work;
    }

    public static Router create(Vertx vertx, HealthRoutes health, BiConsumer<Exchange, EdgeDecision.Forward> proxy,
                                AcceleratorMetrics metrics, InflightWork work) {
        EdgeRouter edge = new EdgeRouter(metrics, work);
        Router router = Router.router(vertx);
        router.route().handler(edge::decide).failureHandler(edge::failed);
        router.route(EdgeRules.LIVE).useNormalizedPath(false).handler(ctx -> health.live(exchange(ctx)));
        router.route(EdgeRules.READY).useNormalizedPath(false).handler(ctx -> health.ready(exchange(ctx)));
        router.route(EdgeRules.METRICS).useNormalizedPath(false)
                .handler(PrometheusScrapingHandler.create(metrics.registry()));
        Handler<RoutingContext> forward = ctx -> forward(ctx, proxy);
        for (ForwardedPrefix prefix : ForwardedPrefix.ALL) {
            router.route(prefix.routePath()).useNormalizedPath(false).handler(forward);
        }
        // what fails before the first handler ran (no Host header, a path that is not one) or matches no route
        for (int status : new int[] {400, 404, 405, 500}) {
            router.errorHandler(status, edge::failed);
        }
        return router;
    }

    private void decide(RoutingContext ctx) {
        EdgeDecision decision = EdgeRules.decide(ctx.request().method(), ctx.request().path());
        ctx.put(DECISION, decision);
        Exchange exchange = begin(ctx, decision instanceof EdgeDecision.Forward);
        if (decision instanceof EdgeDecision.Refuse refusal) {
            EdgeResponder.refuse(exchange, refusal);
        } else {
            ctx.next();
        }
    }

    private static void forward(RoutingContext ctx, BiConsumer<Exchange, EdgeDecision.Forward> proxy) {
        if (EdgeLimits.declaresTooLargeBody(ctx.request().getHeader("Content-Length"))) {
            ctx.fail(413, new BodyTooLargeException(EdgeLimits.MAX_FORWARDED_BODY_BYTES));
        } else if (ctx.get(DECISION) instanceof EdgeDecision.Forward decision) {
            proxy.accept(exchange(ctx), decision);
        } else {
            ctx.fail(500, new IllegalStateException("the router forwards a path the edge did not: "
                    + ctx.request().path()));
        }
    }

    private void failed(RoutingContext ctx) {
        Exchange exchange = ctx.get(EXCHANGE) == null ? begin(ctx, false) : exchange(ctx);
        Surface surface = ctx.get(DECISION) instanceof EdgeDecision decision ? decision.surface() : Surface.NONE;
        EdgeResponder.failed(exchange, surface, ctx.statusCode(), ctx.failure());
    }

    /** @param stream whether the request is forwarded (an active stream until it ends) */
    private Exchange begin(RoutingContext ctx, boolean stream) {
        Exchange exchange = Exchange.begin(ctx.request());
        ctx.put(EXCHANGE, exchange);
        AccessLog.track(exchange);
        count(exchange, stream);
        return exchange;
    }

    private static Exchange exchange(RoutingContext ctx) {
        return ctx.get(EXCHANGE);
    }

    /**
     * Counts the request once, when its response ended or its client went away, whichever comes first; a forwarded
     * one is work in flight until then.
     */
    private void count(Exchange exchange, boolean stream) {
        if (stream) {
            work.streamStarted();
        }
        boolean[] counted = {false};
        Handler<Void> done = v -> {
            if (!counted[0]) {
                counted[0] = true;
                metrics.httpRequest(exchange.route(), exchange.response().getStatusCode());
                if (stream) {
                    work.streamEnded();
                }
            }
        };
        exchange.onEnd(done);
        exchange.onClientGone(done);
    }
}

package io.depproxy.accelerator.edge;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.logging.UrlMask;
import io.depproxy.contracts.observability.RouteTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/** One line per client request, when its response ended or its connection went away. */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

    private AccessLog() {
    }

    public static void track(Exchange exchange) {
        exchange.onEnd(v -> log(exchange, "completed"));
        exchange.onClientGone(v -> {
            if (!exchange.response().ended()) {
                log(exchange, "aborted");
            }
        });
    }

    private static void log(Exchange exchange, String outcome) {
        String route = exchange.route();
        boolean quiet = route.equals(RouteTemplate.HEALTH) || route.equals(RouteTemplate.METRICS);
        Level level = quiet ? Level.DEBUG : Level.INFO;
        LoggingEventBuilder event = LOG.atLevel(level)
                .addKeyValue("request_id", exchange.requestId())
                .addKeyValue("route", route);
        if (exchange.injection() != null) {
            event = event.addKeyValue("injection", exchange.injection());
        }
        event.addKeyValue("method", exchange.request().method().name())
                .addKeyValue("path", UrlMask.mask(exchange.request().uri()))
                .addKeyValue("status", exchange.response().getStatusCode())
                .addKeyValue("bytes", exchange.bytesSent())
                .addKeyValue("duration_ms", exchange.elapsedMillis())
                .log("request {}", outcome);
    }
}

package io.depproxy.controlplane.observability;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.observability.RouteTemplate;
import io.depproxy.contracts.observability.SecretMask;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every HTTP request, JAX-RS or not, gets one access line whose MDC holds the accelerator's access-log fields
 * ({@code request_id}, {@code route} a {@link RouteTemplate}, {@code status}, {@code duration_ms}, …), so a pull can
 * be followed from the accelerator's log into this one. The request metrics are Quarkus Micrometer's own
 * {@code http_server_requests_seconds{method,uri,status,outcome}}, its {@code uri} a template
 * ({@code quarkus.micrometer.binder.http-server.match-patterns} in application.properties), never a registry path.
 */
@ApplicationScoped
public class HttpAccessLog {
    private static final Logger LOG = Logger.getLogger("io.depproxy.controlplane.access");
    private static final int FILTER_PRIORITY = 1_000;
    private static final int MAX_REQUEST_ID_LENGTH = 128;
    private static final Set<String> REGISTRY_ROUTES = Set.of(RouteTemplate.MANIFEST, RouteTemplate.BLOB,
            RouteTemplate.V2, RouteTemplate.TOKEN);

    void register(@Observes Filters filters) {
        filters.register(this::track, FILTER_PRIORITY);
    }

    private void track(RoutingContext context) {
        long start = System.nanoTime();
        String route = RouteTemplate.of(context.request().path());
        context.addEndHandler(ar -> log(context, route, context.response().getStatusCode(),
                (System.nanoTime() - start) / 1_000_000));
        context.next();
    }

    /**
     * Probes, metrics and successful registry answers (thousands a minute, each already in the accelerator's access
     * log under the same request_id) log at DEBUG; everything else, every registry error included, at INFO.
     */
    private static void log(RoutingContext context, String route, int status, long durationMs) {
        boolean quiet = route.equals(RouteTemplate.HEALTH) || route.equals(RouteTemplate.METRICS)
                || (status < 400 && REGISTRY_ROUTES.contains(route));
        Logger.Level level = quiet ? Logger.Level.DEBUG : Logger.Level.INFO;
        if (!LOG.isEnabled(level)) {
            return;
        }
        // the request is over: its MDC entries are set here and removed again, whatever thread this runs on
        String requestId = context.request().getHeader(Headers.REQUEST_ID);
        if (requestId != null && !requestId.isBlank() && requestId.length() <= MAX_REQUEST_ID_LENGTH) {
            MDC.put("request_id", requestId);
        }
        Map<String, String> fields = Map.of("route", route, "method", context.request().method().name(),
                "path", SecretMask.mask(context.request().uri()), "status", Integer.toString(status),
                "duration_ms", Long.toString(durationMs));
        fields.forEach(MDC::put);
        try {
            LOG.log(level, "request completed");
        } finally {
            fields.keySet().forEach(MDC::remove);
            MDC.remove("request_id");
        }
    }
}

package io.depproxy.controlplane.observability;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.observability.RouteTemplate;
import io.depproxy.contracts.observability.SecretMask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every HTTP request, JAX-RS or not: {@code dp_http_requests_total{route,status}} with {@code route} a
 * {@link RouteTemplate} (the accelerator's {@code accel_http_requests_total} uses the same names), and one access
 * line whose MDC holds the accelerator's access-log fields ({@code request_id}, {@code route}, {@code status},
 * {@code duration_ms}, …), so a pull can be followed from the accelerator's log into this one.
 */
@ApplicationScoped
public class HttpRouteMetrics {
    static final String REQUESTS = "dp_http_requests_total";
    private static final Logger LOG = Logger.getLogger("io.depproxy.controlplane.access");
    private static final int FILTER_PRIORITY = 1_000;
    private static final int MAX_REQUEST_ID_LENGTH = 128;
    private static final Set<String> REGISTRY_ROUTES = Set.of(RouteTemplate.MANIFEST, RouteTemplate.BLOB,
            RouteTemplate.V2, RouteTemplate.TOKEN);

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    void register(@Observes Filters filters) {
        filters.register(this::track, FILTER_PRIORITY);
    }

    private void track(RoutingContext context) {
        long start = System.nanoTime();
        String route = RouteTemplate.of(context.request().path());
        context.addEndHandler(ar -> {
            int status = context.response().getStatusCode();
            counter(route, status).increment();
            log(context, route, status, (System.nanoTime() - start) / 1_000_000);
        });
        context.next();
    }

    private Counter counter(String route, int status) {
        return counters.computeIfAbsent(route + ' ' + status, key -> Counter.builder(REQUESTS)
                .description("HTTP requests by route template and status")
                .tag("route", route).tag("status", Integer.toString(status))
                .register(registry));
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

package io.depproxy.controlplane.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every answer of the control plane carries {@code X-Content-Type-Options: nosniff}: registry answers, the admin API,
 * the admin page, probes and metrics, errors included (a Vert.x filter, so answers that never pass JAX-RS have it
 * too). Registry answers share an origin with the admin page, and a browser must never take a body for a page or a
 * script its type does not say it is. Set as the head goes out, once, whatever set it before.
 */
@ApplicationScoped
public class ContentTypeOptionsFilter {
    public static final String HEADER = "X-Content-Type-Options";
    public static final String NOSNIFF = "nosniff";
    /** Early: before any route that answers. */
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            context.addHeadersEndHandler(v -> context.response().headers().set(HEADER, NOSNIFF));
            context.next();
        }, PRIORITY);
    }
}

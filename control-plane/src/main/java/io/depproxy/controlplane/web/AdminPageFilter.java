package io.depproxy.controlplane.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every {@code /admin} answer carries headers that keep the pages out of caches and frames and let them load nothing
 * from anywhere (all CSS and scripts are inline; a script may only fetch from this origin: the prefetch job page polls
 * its progress). Who is signed in is Quarkus Security's business: {@link AdminSessionAuthenticationMechanism}.
 */
public class AdminPageFilter {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void pageHeaders(ContainerRequestContext context, ContainerResponseContext response) {
        if (AdminPaths.isAdminPage(context.getUriInfo().getPath())) {
            response.getHeaders().putSingle("Cache-Control", "no-store");
            response.getHeaders().putSingle("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.getHeaders().putSingle("X-Frame-Options", "DENY");
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        }
    }
}

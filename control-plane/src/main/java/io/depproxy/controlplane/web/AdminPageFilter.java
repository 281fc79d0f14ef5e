package io.depproxy.controlplane.web;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every {@code /admin} request: resumes the session of its cookie, and answers with headers that keep the pages out
 * of caches and frames and let them load nothing from anywhere (all CSS and scripts are inline; a script
 * may only fetch from this origin: the prefetch job page polls its progress).
 */
public class AdminPageFilter {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Inject
    AdminSessions sessions;
    @Inject
    AdminRequest request;
    @Inject
    ControlPlaneConfig config;

    @ServerRequestFilter
    public void resumeSession(ContainerRequestContext context) {
        if (!AdminPaths.isAdminPage(context.getUriInfo().getPath())) {
            return;
        }
        Cookie cookie = context.getCookies().get(AdminCookies.SESSION);
        String sessionId = cookie == null ? null : cookie.getValue();
        boolean secure = AdminCookies.secure(config.externalUrl(), context.getHeaderString("X-Forwarded-Proto"),
                context.getUriInfo().getRequestUri().getScheme());
        request.open(sessionId, sessions.resume(sessionId), secure);
    }

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

package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.AuthenticationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every matched {@code /api/v4} route needs a personal access token ({@code PRIVATE-TOKEN} or
 * {@code Authorization: Bearer}) with the {@code api} or {@code admin} scope: 401 or 403 before the resource runs.
 */
public class ApiAuthenticationFilter {
    static final String PRIVATE_TOKEN = "PRIVATE-TOKEN";

    @Inject
    AuthenticationService authentication;
    @Inject
    CurrentCaller caller;

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/api/v4/")) {
            caller.set(authentication.authenticateApi(request.getHeaderString(PRIVATE_TOKEN),
                    request.getHeaderString("Authorization")));
        }
    }
}

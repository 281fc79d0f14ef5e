package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.AdminPageErrors;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A failed admin page request as an HTML page with the same status and message the API would answer (the services
 * decide both). A request without a session is sent to the sign-in page instead ({@link AccessRefusals}).
 */
@ApplicationScoped
public class ErrorPages implements AdminPageErrors {
    @Inject
    PageFrames frames;

    @Override
    public boolean isAdminPage(String path) {
        return AdminPaths.isAdminPage(path);
    }

    @Override
    public Response page(ApiException e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.error(frames.ofError("Error " + e.status()), e.status(), reason(e))).build();
    }

    /** The message without its {@code "422 Unprocessable Entity - "} status prefix, which the page shows apart. */
    static String reason(ApiException e) {
        String message = e.getMessage();
        int dash = message.indexOf(" - ");
        return dash >= 0 ? message.substring(dash + 3) : message;
    }
}

package io.depproxy.controlplane.api;

import io.depproxy.controlplane.error.ApiException;
import jakarta.ws.rs.core.Response;

/**
 * How the admin page answers its own failures (web/'s {@code ErrorPages}): as an HTML page, where the admin API answers
 * JSON. The admin page sits above the API and uses it, so {@link ErrorMappers} asks through this interface rather
 * than importing web/.
 */
public interface AdminPageErrors {

    /** Whether {@code path} is a page of the admin page, whose failures are answered as HTML. */
    boolean isAdminPage(String path);

    /** The HTML page for a failed admin page request: the same status and message the API would answer. */
    Response page(ApiException e);
}

package io.depproxy.controlplane.api;

import static io.depproxy.controlplane.registry.RegistryRoutes.isRegistryRoute;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorBody;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.upload.MalformedFormException;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.ApiErrorBody;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.error.Outage;
import io.depproxy.controlplane.error.RegistryException;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as JSON: registry routes ({@code /v2}, {@code /jwt}) as the distribution-spec body, the admin
 * API as {@code {"message": …}}; only the admin page ({@code /admin}) answers its errors as HTML pages. Never a
 * class name or stack trace.
 */
public class ErrorMappers {
    static final int RETRY_AFTER_SECONDS = 5;

    @Inject
    ControlPlaneConfig config;
    @Inject
    AdminPageErrors errorPages;

    @ServerExceptionMapper
    public Response registry(RegistryException e, UriInfo uri) {
        String path = uri.getPath();
        if (e.status() >= 500) {
            Log.errorf("%s %s: %s", e.code(), path, e.getMessage());
        } else if (e.status() == 401 || e.status() == 404) {
            Log.debugf("%s %s: %s", e.code(), path, e.getMessage());
        } else {
            Log.infof("%s %s: %s", e.code(), path, e.getMessage());
        }
        return registryResponse(e, path);
    }

    private Response registryResponse(RegistryException e, String path) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaTypes.REGISTRY_ERROR_JSON)
                .header(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE)
                .entity(RegistryErrorBody.json(e.code(), e.getMessage()));
        if (e.code() == RegistryErrorCode.UNAUTHORIZED && path.startsWith("/v2")) {
            response.header("WWW-Authenticate", challenge());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        if (errorPages.isAdminPage(uri.getPath())) {
            return errorPages.page(e);
        }
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ApiErrorBody(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (isRegistryRoute(uri.getPath())) {
            RegistryErrorCode code = status == 404 ? RegistryErrorCode.NAME_UNKNOWN : RegistryErrorCode.forStatus(status);
            return registry(new RegistryException(code, status, reason(status)), uri);
        }
        return api(new ApiException(status, status + " " + reason(status)), uri);
    }

    /**
     * A bound request body out of its Bean Validation bounds: 422 naming the first value, as every other refused value
     * (never the validator's own 400 body). Anything else that fails validation is a fault of ours.
     */
    @ServerExceptionMapper
    public Response invalidBody(ConstraintViolationException e, UriInfo uri) {
        boolean parameters = !e.getConstraintViolations().isEmpty() && e.getConstraintViolations().stream()
                .allMatch(v -> StreamSupport.stream(v.getPropertyPath().spliterator(), false)
                        .anyMatch(node -> node.getKind() == ElementKind.PARAMETER));
        return parameters ? api(ApiException.invalid(e.getConstraintViolations()), uri) : unexpected(e, uri);
    }

    /** A form body with a bad {@code %} escape: the client's mistake, 400 in the route's format. */
    @ServerExceptionMapper
    public Response malformedForm(MalformedFormException e, UriInfo uri) {
        if (isRegistryRoute(uri.getPath())) {
            return registry(new RegistryException(RegistryErrorCode.UNSUPPORTED, 400,
                    "the form body is not URL-encoded"), uri);
        }
        return api(ApiException.badRequest("the form body is not URL-encoded"), uri);
    }

    /** Object storage or the database unreachable: 503, never 500 (clients retry a 503). */
    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        Optional<Outage> outage = Outage.of(e);
        if (outage.isPresent()) {
            Log.warnf("%s: %s answered 503 (%s)", outage.get().message(), uri.getPath(), rootMessage(e));
            return unavailable(outage.get().message(), uri);
        }
        Log.errorf(e, "unexpected failure on %s", uri.getPath());
        if (isRegistryRoute(uri.getPath())) {
            return registry(new RegistryException(RegistryErrorCode.UNKNOWN, "internal error"), uri);
        }
        return api(new ApiException(500, "500 Internal Server Error"), uri);
    }

    private Response unavailable(String message, UriInfo uri) {
        Response response = isRegistryRoute(uri.getPath())
                ? registryResponse(RegistryException.unavailable(message), uri.getPath())
                : api(new ApiException(503, "503 Service Unavailable - " + message), uri);
        return Response.fromResponse(response).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** {@code Bearer realm="<external url>/jwt/auth",service="dependency_proxy"}. */
    public String challenge() {
        String base = config.externalUrl().replaceAll("/+$", "");
        return "Bearer realm=\"" + base + "/jwt/auth\",service=\"dependency_proxy\"";
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "error" : known.getReasonPhrase();
    }
}

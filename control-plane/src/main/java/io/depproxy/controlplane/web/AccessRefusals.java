package io.depproxy.controlplane.web;

import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.api.ErrorMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus Security's refusals answered as each surface always answered them, instead of its bare defaults: the admin
 * page sends a browser without a session to the sign-in page (303); the admin API answers
 * {@code {"message": "401 Unauthorized"}} without a valid token and the {@code insufficient_scope} 403 for a token
 * without the {@code api} or {@code admin} scope. Registry routes carry no security annotations, so none of these
 * reach them.
 */
public class AccessRefusals {
    @Inject
    ErrorMappers errors;

    /** No credential, or one that did not authenticate (an anonymous caller reached a protected resource). */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return notSignedIn(uri);
    }

    /** A credential that failed; a failure behind it (the database unreachable) is answered as such, not as a 401. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        if (e.getCause() != null) {
            return errors.unexpected(e.getCause(), uri);
        }
        return notSignedIn(uri);
    }

    /** Authenticated, but the token's scopes are not among the roles the resource allows. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return errors.api(ApiException.insufficientScope(), uri);
    }

    private Response notSignedIn(UriInfo uri) {
        if (AdminPaths.isAdminPage(uri.getPath())) {
            return AdminPaths.seeOther(AdminPaths.SIGN_IN).build();
        }
        return errors.api(ApiException.unauthorized(), uri);
    }
}

package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.ApiException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The current admin page request: its session, read from the {@link SecurityIdentity} that
 * {@link AdminSessionIdentityProvider} built (pages annotated {@code @RolesAllowed} only run with one), and how the
 * browser reached us.
 */
@RequestScoped
public class AdminRequest {
    static final String CSRF_FIELD = "csrf_token";

    @Inject
    SecurityIdentity identity;
    @Inject
    HttpServerRequest http;
    @Inject
    ControlPlaneConfig config;

    /** Who is signed in; without a session the browser is sent to the sign-in page. */
    public ApiCaller caller() {
        return session().caller();
    }

    AdminSessions.Session session() {
        return current().orElseThrow(UnauthorizedException::new);
    }

    boolean signedIn() {
        return current().isPresent();
    }

    private Optional<AdminSessions.Session> current() {
        return Optional.ofNullable(identity.getAttribute(AdminSessionIdentityProvider.SESSION));
    }

    /** The session cookie as the browser sent it (the session may have ended). */
    String sessionId() {
        Cookie cookie = http.getCookie(AdminCookies.SESSION);
        return cookie == null ? null : cookie.getValue();
    }

    boolean secure() {
        return AdminCookies.secure(config.externalUrl(), http.getHeader("X-Forwarded-Proto"), http.scheme());
    }

    /**
     * The posted form, once its {@code csrf_token} equals the session's (a synchronizer token): a form another page
     * made the browser post has none, and is refused with 403 before anything is read or changed.
     */
    ApiParams form(UriInfo uri, HttpHeaders headers, String body) {
        AdminSessions.Session current = session();
        ApiParams params = ApiParams.of(uri, headers, body);
        if (!sameSecret(params.string(CSRF_FIELD).orElse(""), current.csrfToken())) {
            throw new ApiException(403, "403 Forbidden - the form's CSRF token is missing or wrong; reload the page");
        }
        return params;
    }

    /** Compared in time independent of where they first differ. */
    static boolean sameSecret(String submitted, String expected) {
        return MessageDigest.isEqual(submitted.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}

package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The current admin page request: its session (resumed by {@link AdminPageFilter}) and how it reached us. */
@RequestScoped
public class AdminRequest {
    static final String CSRF_FIELD = "csrf_token";

    private String sessionId;
    private Optional<AdminSessions.Session> session = Optional.empty();
    private boolean secure;

    void open(String sessionId, Optional<AdminSessions.Session> session, boolean secure) {
        this.sessionId = sessionId;
        this.session = session;
        this.secure = secure;
    }

    /** Who is signed in; without a session the browser is sent to the sign-in page. */
    public ApiCaller caller() {
        return session().caller();
    }

    AdminSessions.Session session() {
        return session.orElseThrow(SignInRequired::new);
    }

    boolean signedIn() {
        return session.isPresent();
    }

    String sessionId() {
        return sessionId;
    }

    boolean secure() {
        return secure;
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

    /** Thrown when a page needs a session and the request has none (or it ended). */
    static final class SignInRequired extends RuntimeException {
        SignInRequired() {
            super("sign-in required", null, false, false);
        }
    }
}

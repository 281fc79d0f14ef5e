package io.depproxy.controlplane.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

/**
 * An admin page session as a {@link SecurityIdentity}: {@link AdminSessions#resume} checks the session and the token
 * behind it exactly as the API checks a token, the roles are that token's scopes (the pages allow {@code api} and
 * {@code admin}, as the API does), and the session (caller and CSRF token) rides along as the {@value #SESSION}
 * attribute for {@link AdminRequest}. A session that does not resume fails authentication.
 */
@ApplicationScoped
public class AdminSessionIdentityProvider implements IdentityProvider<AdminSessionIdentityProvider.SessionRequest> {
    static final String SESSION = "dp.admin-session";

    @Inject
    AdminSessions sessions;

    /** The session cookie's value. */
    public static final class SessionRequest extends BaseAuthenticationRequest {
        private final String sessionId;

        SessionRequest(String sessionId) {
            this.sessionId = sessionId;
        }
    }

    @Override
    public Class<SessionRequest> getRequestType() {
        return SessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> resume(request.sessionId));
    }

    /** The session lookup reads the database outside any transaction: it needs a request context of its own here. */
    @ActivateRequestContext
    SecurityIdentity resume(String sessionId) {
        AdminSessions.Session session = sessions.resume(sessionId).orElseThrow(AuthenticationFailedException::new);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(session.caller().user().getUsername()))
                .addRoles(session.caller().scopes())
                .addAttribute(SESSION, session)
                .build();
    }
}

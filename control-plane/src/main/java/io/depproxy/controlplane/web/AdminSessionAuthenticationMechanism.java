package io.depproxy.controlplane.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * How an admin page request ({@code /admin/...}) says who it is: the session cookie set at sign-in.
 * {@link AdminSessionIdentityProvider} resumes the session; a cookie whose session ended (signed out, expired, its
 * token revoked) is no credential, so the request is anonymous and the pages that need a session send the browser to
 * the sign-in page ({@link AccessRefusals}) while the sign-in page itself still opens. Other paths are not this
 * mechanism's (the cookie's {@code Path=/admin} keeps it from them anyway).
 */
@ApplicationScoped
public class AdminSessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String sessionId = sessionId(context);
        if (sessionId == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                        new AdminSessionIdentityProvider.SessionRequest(sessionId), context))
                .onFailure(AdminSessionAuthenticationMechanism::sessionEnded).recoverWithNull();
    }

    /** The session cookie of an admin page request, or null. */
    static String sessionId(RoutingContext context) {
        if (!AdminPaths.isAdminPage(context.normalizedPath())) {
            return null;
        }
        Cookie cookie = context.request().getCookie(AdminCookies.SESSION);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /** The session is gone; anything else (the database unreachable) is not a sign-in matter and stays a failure. */
    private static boolean sessionEnded(Throwable failure) {
        return failure instanceof AuthenticationFailedException && failure.getCause() == null;
    }

    /** The status and Location only: {@link AccessRefusals} answers the same redirect. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!AdminPaths.isAdminPage(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(303, "Location", AdminPaths.SIGN_IN));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(AdminSessionIdentityProvider.SessionRequest.class);
    }
}

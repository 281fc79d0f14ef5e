package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.BasicCredentials;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * How an admin API request ({@code /api/v4/...}) says who it is: a personal access token in {@code PRIVATE-TOKEN} or
 * {@code Authorization: Bearer}, as GitLab's API takes it. {@link ApiTokenIdentityProvider} turns the token into the
 * caller; the resources' {@code @RolesAllowed} decide. Other paths (the registry routes, {@code /jwt/auth}, internal
 * routes, the admin page) are not this mechanism's: it finds no credential there. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}), so this runs only when a resource that needs a caller was matched: an
 * unknown {@code /api/v4} path stays a 404 and the registry routes never reach it. It runs before the other
 * mechanisms, so no other one ever reads an API token.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {
    static final String PRIVATE_TOKEN = "PRIVATE-TOKEN";
    static final String API_PREFIX = "/api/v4/";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Optional<String> token = token(context);
        if (token.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new ApiTokenIdentityProvider.TokenRequest(token.get()), context));
    }

    /** A {@code PRIVATE-TOKEN} wins over {@code Authorization}; anything but a bearer token there is no credential. */
    static Optional<String> token(RoutingContext context) {
        if (!context.normalizedPath().startsWith(API_PREFIX)) {
            return Optional.empty();
        }
        String privateToken = context.request().getHeader(PRIVATE_TOKEN);
        if (privateToken != null && !privateToken.isBlank()) {
            return Optional.of(privateToken.trim());
        }
        return BasicCredentials.bearer(context.request().getHeader("Authorization"));
    }

    /** The status only: the API's JSON answer is written by {@code AccessRefusals}. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!context.normalizedPath().startsWith(API_PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenIdentityProvider.TokenRequest.class);
    }

    /** Ahead of any mechanism an extension brings (a JWT mechanism would take a personal access token for a JWT). */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}

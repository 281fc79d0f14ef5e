package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.access.AuthenticationService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * An admin API token as a {@link SecurityIdentity}: the principal is the token's user, the roles are the token's
 * scopes (the resources allow {@code api} and {@code admin}), and the {@link ApiCaller} rides along as the
 * {@value #CALLER} attribute for {@link CurrentCaller}. A token that is unknown, expired or revoked, or whose user is
 * blocked, fails authentication (401). The check reads the database, so it runs on a worker thread.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenIdentityProvider.TokenRequest> {
    static final String CALLER = "dp.api-caller";

    @Inject
    AuthenticationService authentication;

    /** The raw personal access token of a request. */
    public static final class TokenRequest extends BaseAuthenticationRequest {
        private final String token;

        TokenRequest(String token) {
            this.token = token;
        }
    }

    @Override
    public Class<TokenRequest> getRequestType() {
        return TokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> identity(holder(request.token)));
    }

    private ApiCaller holder(String token) {
        try {
            return authentication.apiTokenHolder(token);
        } catch (ApiException e) {
            throw new AuthenticationFailedException(e.getMessage());
        }
    }

    static SecurityIdentity identity(ApiCaller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.user().getUsername()))
                .addRoles(caller.scopes())
                .addAttribute(CALLER, caller)
                .build();
    }
}

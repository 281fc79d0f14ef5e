package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The caller of the current admin API request, read from the {@link SecurityIdentity} that
 * {@link ApiTokenIdentityProvider} built: resources annotated {@code @RolesAllowed} only run with one.
 */
@RequestScoped
public class CurrentCaller {
    @Inject
    SecurityIdentity identity;

    public ApiCaller get() {
        ApiCaller caller = identity.getAttribute(ApiTokenIdentityProvider.CALLER);
        if (caller == null) {
            throw ApiException.unauthorized();
        }
        return caller;
    }
}

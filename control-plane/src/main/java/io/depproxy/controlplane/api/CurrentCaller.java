package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current admin API request, set by {@link ApiAuthenticationFilter}. */
@RequestScoped
public class CurrentCaller {
    private ApiCaller caller;

    void set(ApiCaller caller) {
        this.caller = caller;
    }

    public ApiCaller get() {
        if (caller == null) {
            throw ApiException.unauthorized();
        }
        return caller;
    }
}

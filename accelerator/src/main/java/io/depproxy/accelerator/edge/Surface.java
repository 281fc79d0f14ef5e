package io.depproxy.accelerator.edge;

/** Which public face of the service a request path belongs to; it decides how a refusal is written. */
public enum Surface {
    /** {@code /v2} and below: pull-only registry routes, distribution-spec error JSON. */
    REGISTRY,
    /** {@code /jwt/auth}: the token endpoint, distribution-spec error JSON. */
    TOKEN,
    /** {@code /api/v4/...}: the admin API, {@code {"message"}} errors. */
    API,
    /** {@code /admin} and below: the control plane's server-rendered admin page, {@code {"message"}} errors. */
    ADMIN_PAGE,
    /** The accelerator's own {@code /-/health/...} and {@code /-/metrics}. */
    OWN,
    /** Everything else: never forwarded, refused in registry JSON. */
    NONE;

    /** Whether a refusal on this surface is the admin API's {@code {"message"}} body (else registry JSON). */
    public boolean apiErrors() {
        return this == API || this == ADMIN_PAGE;
    }
}

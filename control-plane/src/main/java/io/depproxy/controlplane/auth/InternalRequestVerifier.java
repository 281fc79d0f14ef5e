package io.depproxy.controlplane.auth;

import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.auth.InvalidTokenException;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.RegistryException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Checks the accelerator's internal calls ({@code Gitlab-Workhorse-Api-Request}, signed upload descriptors) with the
 * shared secret. Without a secret the service refuses to start, except in Quarkus dev and test mode.
 */
@Singleton
@Startup
public class InternalRequestVerifier {
    private final InternalJwt jwt;

    @Inject
    public InternalRequestVerifier(ControlPlaneConfig config) {
        this(load(config, LaunchMode.current()));
    }

    InternalRequestVerifier(InternalSecret secret) {
        this.jwt = new InternalJwt(secret);
    }

    static InternalSecret load(ControlPlaneConfig config, LaunchMode mode) {
        InternalSecret secret = InternalSecret.fromConfig(config.internalSecret().orElse(null),
                config.internalSecretFile().orElse(null));
        if (secret != null) {
            return secret;
        }
        if (mode.isDevOrTest()) {
            Log.warn("DP_INTERNAL_SECRET is not set: using a random internal secret (dev/test mode only)");
            return InternalSecret.fromBase64(InternalSecret.generateBase64());
        }
        throw new IllegalStateException("DP_INTERNAL_SECRET or DP_INTERNAL_SECRET_FILE must be set "
                + "(base64 of 32 random bytes, shared with the accelerator)");
    }

    /** Throws 401 UNAUTHORIZED unless {@code header} is a fresh, correctly signed API request token. */
    public void verifyApiRequest(String header) {
        try {
            jwt.verifyApiRequest(header);
        } catch (InvalidTokenException e) {
            throw RegistryException.unauthorized("internal request rejected: " + e.getMessage());
        }
    }

    public InternalJwt jwt() {
        return jwt;
    }
}

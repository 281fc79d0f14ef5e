package io.depproxy.controlplane.access;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Checks the accelerator's internal calls ({@code Gitlab-Workhorse-Api-Request}, signed upload descriptors) with the
 * shared secret. Without a secret the service refuses to start, except in Quarkus dev and test mode.
 */
@Singleton
@Startup
public class InternalRequestVerifier {
    private final InternalJwt jwt;
    private final byte[] keyMaterial;

    @Inject
    public InternalRequestVerifier(ControlPlaneConfig config) {
        this(load(config, LaunchMode.current()));
    }

    InternalRequestVerifier(String secretBase64) {
        this.jwt = new InternalJwt(InternalSecret.fromBase64(secretBase64));
        this.keyMaterial = Base64.getDecoder().decode(secretBase64.trim());
    }

    /** The base64 text of the secret: {@code DP_INTERNAL_SECRET}, the file, or (dev and test mode) a random one. */
    static String load(ControlPlaneConfig config, LaunchMode mode) {
        String inline = config.internalSecret().filter(s -> !s.isBlank()).orElse(null);
        if (inline != null) {
            InternalSecret.fromBase64(inline);
            return inline.trim();
        }
        String file = config.internalSecretFile().filter(s -> !s.isBlank()).orElse(null);
        if (file != null) {
            InternalSecret.fromFile(Path.of(file));
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read DP_INTERNAL_SECRET_FILE " + file, e);
            }
        }
        if (mode.isDevOrTest()) {
            Log.warn("DP_INTERNAL_SECRET is not set: using a random internal secret (dev/test mode only)");
            return InternalSecret.generateBase64();
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

    /** The secret's 32 bytes, as input for keys derived from it (never used as a key directly). */
    public byte[] keyMaterial() {
        return keyMaterial.clone();
    }
}

package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The control plane's own key for data at rest ({@code DP_ENCRYPTION_KEY} or {@code DP_ENCRYPTION_KEY_FILE}: base64
 * of 32 random bytes). Unlike the internal secret, the public accelerator never holds it. Outside dev and test mode
 * the service refuses to start without it.
 */
final class EncryptionKey {
    static final int LENGTH = 32;

    private EncryptionKey() {
    }

    static byte[] load(ControlPlaneConfig config, LaunchMode mode) {
        return load(config.encryptionKey(), config.encryptionKeyFile(), mode);
    }

    static byte[] load(Optional<String> inlineKey, Optional<String> keyFile, LaunchMode mode) {
        String inline = inlineKey.filter(s -> !s.isBlank()).orElse(null);
        if (inline != null) {
            return decode(inline, "DP_ENCRYPTION_KEY");
        }
        String file = keyFile.filter(s -> !s.isBlank()).orElse(null);
        if (file != null) {
            try {
                return decode(Files.readString(Path.of(file), StandardCharsets.UTF_8), "DP_ENCRYPTION_KEY_FILE " + file);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read DP_ENCRYPTION_KEY_FILE " + file + ": " + e.getMessage(), e);
            }
        }
        if (mode.isDevOrTest()) {
            Log.warn("DP_ENCRYPTION_KEY is not set: using a random encryption key (dev/test mode only); upstream "
                    + "secrets stored now cannot be decrypted after a restart");
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            return key;
        }
        throw new IllegalStateException("DP_ENCRYPTION_KEY or DP_ENCRYPTION_KEY_FILE must be set: base64 of 32 random "
                + "bytes (head -c 32 /dev/urandom | base64), given to the control plane only; it encrypts the groups' "
                + "upstream secrets, so keep it with the database backups");
    }

    static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64: " + e.getMessage(), e);
        }
        if (key.length != LENGTH) {
            throw new IllegalStateException(source + " must decode to exactly " + LENGTH + " bytes, got " + key.length);
        }
        return key;
    }
}

package io.depproxy.controlplane.access;

import io.depproxy.contracts.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Raw tokens are shown once; only their sha256 hex is stored and compared. */
public final class TokenDigest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TokenDigest() {
    }

    public static String of(String rawToken) {
        return HexFormat.of().formatHex(Digests.newSha256().digest(rawToken.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code rawToken} hashes to {@code storedDigest}, in time independent of where they first differ. */
    public static boolean matches(String storedDigest, String rawToken) {
        if (storedDigest == null || rawToken == null) {
            return false;
        }
        return MessageDigest.isEqual(storedDigest.getBytes(StandardCharsets.US_ASCII),
                of(rawToken).getBytes(StandardCharsets.US_ASCII));
    }

    /** A new raw token: {@code prefix} plus 24 random alphanumerics (GitLab's {@code glpat-…} shape). */
    public static String generate(String prefix) {
        StringBuilder token = new StringBuilder(prefix);
        for (int i = 0; i < 24; i++) {
            token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }
}

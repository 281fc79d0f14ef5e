package io.depproxy.contracts.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** The 32-byte key both services share, written as standard base64 (GitLab's .gitlab_workhorse_secret). */
public final class InternalSecret {
    public static final int LENGTH = 32;
    private final byte[] key;

    private InternalSecret(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("the internal secret must decode to exactly " + LENGTH
                    + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    public static InternalSecret fromBase64(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("the internal secret is empty");
        }
        try {
            return new InternalSecret(Base64.getDecoder().decode(encoded.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the internal secret is not base64: " + e.getMessage(), e);
        }
    }

    public static InternalSecret fromFile(Path file) {
        try {
            return fromBase64(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the internal secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code inline} when set, else {@code file} when set; null when neither is. */
    public static InternalSecret fromConfig(String inline, String file) {
        if (inline != null && !inline.isBlank()) {
            return fromBase64(inline);
        }
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file));
        }
        return null;
    }

    public static String generateBase64() {
        byte[] bytes = new byte[LENGTH];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "InternalSecret[masked]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InternalSecret that && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.depproxy.controlplane.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a group's upstream secret at rest: AES-256-GCM under a key derived with HKDF-SHA256 (info
 * {@value #INFO}) from the internal secret. The group id is the associated data, so a ciphertext copied to another
 * group's row does not decrypt. Stored as {@code v1:<base64(nonce || ciphertext || tag)>}.
 */
@Singleton
public class UpstreamCredentialCipher {
    static final String INFO = "dependency-proxy upstream credentials";
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    @Inject
    public UpstreamCredentialCipher(InternalRequestVerifier internal) {
        this(internal.keyMaterial());
    }

    UpstreamCredentialCipher(byte[] inputKeyMaterial) {
        this.key = new SecretKeySpec(hkdfSha256(inputKeyMaterial, INFO.getBytes(StandardCharsets.UTF_8), 32), "AES");
    }

    public String encrypt(long groupId, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, groupId);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt an upstream secret", e);
        }
    }

    /** Throws {@link IllegalArgumentException} when the value was not sealed by this key for this group. */
    public String decrypt(long groupId, String stored) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown upstream secret format");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
            if (bytes.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("upstream secret too short");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), groupId);
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the upstream secret cannot be decrypted with the current internal "
                    + "secret", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, long groupId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("group:" + groupId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** RFC 5869 with an all-zero salt: extract, then expand to {@code length} (≤ 32) bytes. */
    static byte[] hkdfSha256(byte[] inputKeyMaterial, byte[] info, int length) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] pseudoRandomKey = extract.doFinal(inputKeyMaterial);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            expand.update(info);
            expand.update((byte) 1);
            return Arrays.copyOf(expand.doFinal(), length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}

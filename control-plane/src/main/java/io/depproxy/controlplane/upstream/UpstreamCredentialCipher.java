package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.quarkus.runtime.LaunchMode;
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
 * {@value #INFO}) from {@code DP_ENCRYPTION_KEY}, stored as {@code v2:<base64(nonce || ciphertext || tag)>}. The
 * group id is the associated data, so a ciphertext copied to another group's row does not decrypt (an instance
 * upstream's secret is bound to {@link #upstream}, a group's credentials for one upstream to {@link #groupUpstream}). Values written
 * before that key existed ({@code v1:}, keyed by the internal secret the accelerator also holds) still decrypt,
 * and {@link #reseal} moves them to the current key.
 */
@Singleton
public class UpstreamCredentialCipher {
    static final String INFO = "dependency-proxy upstream credentials";
    public static final String CURRENT_PREFIX = "v2:";
    static final String LEGACY = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final SecretKeySpec legacyKey;

    @Inject
    public UpstreamCredentialCipher(ControlPlaneConfig config, InternalRequestVerifier internal) {
        this(EncryptionKey.load(config, LaunchMode.current()), internal.keyMaterial());
    }

    /** {@code legacyKeyMaterial}: the internal secret, only to read values sealed before the encryption key. */
    UpstreamCredentialCipher(byte[] encryptionKey, byte[] legacyKeyMaterial) {
        this.key = derive(encryptionKey);
        this.legacyKey = derive(legacyKeyMaterial);
    }

    public String encrypt(long groupId, String plaintext) {
        return encrypt(group(groupId), plaintext);
    }

    /** Throws {@link IllegalArgumentException} when the value was not sealed by this key for this group. */
    public String decrypt(long groupId, String stored) {
        return decrypt(group(groupId), stored);
    }

    /** The associated data of an instance upstream's secret. */
    public static String upstream(long upstreamId) {
        return "upstream:" + upstreamId;
    }

    /** The associated data of a group's secret for one upstream of its list. */
    public static String groupUpstream(long groupId, long upstreamId) {
        return group(groupId) + ":" + upstream(upstreamId);
    }

    private static String group(long groupId) {
        return "group:" + groupId;
    }

    /** {@code boundTo}: the associated data; the value decrypts only with the same. */
    public String encrypt(String boundTo, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, boundTo);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return CURRENT_PREFIX + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt an upstream secret", e);
        }
    }

    /** Throws {@link IllegalArgumentException} when the value was not sealed by this key for {@code boundTo}. */
    public String decrypt(String boundTo, String stored) {
        if (stored != null && stored.startsWith(CURRENT_PREFIX)) {
            return open(key, boundTo, stored.substring(CURRENT_PREFIX.length()), "DP_ENCRYPTION_KEY");
        }
        if (stored != null && stored.startsWith(LEGACY)) {
            return open(legacyKey, boundTo, stored.substring(LEGACY.length()), "internal secret");
        }
        throw new IllegalArgumentException("unknown upstream secret format");
    }

    /** Whether {@code stored} is sealed under an older key (and {@link #reseal} would rewrite it). */
    public boolean needsReseal(String stored) {
        return stored != null && !stored.startsWith(CURRENT_PREFIX);
    }

    /** {@code stored} sealed under the current key (unchanged when it already is). */
    public String reseal(long groupId, String stored) {
        return needsReseal(stored) ? encrypt(groupId, decrypt(groupId, stored)) : stored;
    }

    private static String open(SecretKeySpec key, String boundTo, String base64, String keyName) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("upstream secret too short");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(bytes, NONCE_BYTES), boundTo);
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the upstream secret cannot be decrypted with the current " + keyName, e);
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String boundTo)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static SecretKeySpec derive(byte[] inputKeyMaterial) {
        return new SecretKeySpec(hkdfSha256(inputKeyMaterial, INFO.getBytes(StandardCharsets.UTF_8), 32), "AES");
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

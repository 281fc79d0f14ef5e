package io.depproxy.controlplane.policy;

import io.depproxy.contracts.Digests;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A public key that may sign a group's images, as cosign writes it ({@code cosign.pub}: a PEM
 * {@code PUBLIC KEY} block holding an X.509 SubjectPublicKeyInfo): ECDSA P-256, RSA (2048 bits or more) or Ed25519.
 * {@code fingerprint} is the sha256 of the DER encoding: what logs and key-set identities name.
 */
public record SigningKey(String pem, PublicKey key, String fingerprint) {
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final int MIN_RSA_BITS = 2048;
    /** The X.509 OID of the NIST P-256 curve, as the JDK names the curve of a parsed key. */
    private static final String P256_NAME = "secp256r1";

    /** The PEM's key; {@link IllegalArgumentException} with a message for an API client when it is not one we take. */
    public static SigningKey parse(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("a key must be a PEM PUBLIC KEY block");
        }
        Matcher block = PEM_BLOCK.matcher(pem.trim());
        if (!block.matches()) {
            throw new IllegalArgumentException("a key must be one PEM block: -----BEGIN PUBLIC KEY----- … "
                    + "-----END PUBLIC KEY----- (cosign.pub)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key's PEM body is not base64");
        }
        PublicKey key = decode(der);
        String canonical = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        return new SigningKey(canonical, key, Digests.sha256(der));
    }

    private static PublicKey decode(byte[] der) {
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                continue;
            }
            check(key);
            return key;
        }
        throw new IllegalArgumentException("the key is not an ECDSA P-256, RSA or Ed25519 public key");
    }

    private static void check(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            String curve = ec.getParams().toString();
            if (ec.getParams().getCurve().getField().getFieldSize() != 256 || !curve.contains(P256_NAME)) {
                throw new IllegalArgumentException("an ECDSA key must be on the P-256 curve");
            }
        } else if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("an RSA key must have at least " + MIN_RSA_BITS + " bits");
        }
    }

    /** The key's algorithm as an API shows it: {@code ecdsa-p256}, {@code rsa-<bits>} or {@code ed25519}. */
    public String algorithm() {
        if (key instanceof ECPublicKey) {
            return "ecdsa-p256";
        }
        if (key instanceof RSAPublicKey rsa) {
            return "rsa-" + rsa.getModulus().bitLength();
        }
        return "ed25519";
    }

    @Override
    public String toString() {
        return algorithm() + " " + fingerprint;
    }
}

package io.depproxy.controlplane.signature;

import io.depproxy.controlplane.policy.SigningKey;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Whether a signature over a payload verifies with a key, as cosign signs with each kind of key: ECDSA P-256 with
 * SHA-256 (ASN.1 DER signature), RSA with SHA-256 in PKCS#1 v1.5 (cosign's default) or PSS, Ed25519 over the payload
 * itself. A malformed signature is a signature that does not verify.
 */
final class KeySignatures {
    private KeySignatures() {
    }

    static boolean verifies(SigningKey key, byte[] payload, byte[] signature) {
        if (key.key() instanceof ECPublicKey) {
            return verifies("SHA256withECDSA", null, key, payload, signature);
        }
        if (key.key() instanceof RSAPublicKey) {
            return verifies("SHA256withRSA", null, key, payload, signature)
                    || verifies("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
                    key, payload, signature);
        }
        return verifies("Ed25519", null, key, payload, signature);
    }

    private static boolean verifies(String algorithm, PSSParameterSpec pss, SigningKey key, byte[] payload,
                                    byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            if (pss != null) {
                verifier.setParameter(pss);
            }
            verifier.initVerify(key.key());
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}

package io.depproxy.controlplane.support;

import io.depproxy.contracts.Digests;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Signs images the way cosign does with a key (for tests): a simple-signing payload naming the manifest digest, its
 * signature in the layer annotation of a signature manifest stored under {@code sha256-<hex>.sig}.
 */
public final class CosignSigner {
    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    private final KeyPair keys;
    private final String algorithm;

    private CosignSigner(KeyPair keys, String algorithm) {
        this.keys = keys;
        this.algorithm = algorithm;
    }

    public static CosignSigner p256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), 0, "SHA256withECDSA");
    }

    public static CosignSigner rsa() {
        return generate("RSA", null, 2048, "SHA256withRSA");
    }

    public static CosignSigner ed25519() {
        return generate("Ed25519", null, 0, "Ed25519");
    }

    private static CosignSigner generate(String kind, ECGenParameterSpec curve, int bits, String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
            if (curve != null) {
                generator.initialize(curve);
            } else if (bits > 0) {
                generator.initialize(bits);
            }
            return new CosignSigner(generator.generateKeyPair(), algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as cosign.pub holds it. */
    public String publicPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The simple-signing payload cosign writes for {@code digest}. */
    public static byte[] payload(String digest, String reference) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + reference + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    /** The base64 signature over {@code payload}. */
    public String sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(keys.getPrivate());
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OCI signature manifest with one simple-signing layer holding {@code payload} and {@code signature}. */
    public static byte[] signatureManifest(byte[] payload, String signature, String extraAnnotations) {
        String config = "{}";
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length()
                + ",\"digest\":\"" + Digests.sha256(config.getBytes(StandardCharsets.UTF_8)) + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + SIMPLE_SIGNING + "\",\"size\":" + payload.length
                + ",\"digest\":\"" + Digests.sha256(payload) + "\",\"annotations\":{"
                + "\"dev.cosignproject.cosign/signature\":\"" + signature + "\"" + extraAnnotations + "}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The signature manifest of {@code digest} signed with this key. */
    public byte[] signatureManifest(byte[] payload) {
        return signatureManifest(payload, sign(payload), "");
    }
}

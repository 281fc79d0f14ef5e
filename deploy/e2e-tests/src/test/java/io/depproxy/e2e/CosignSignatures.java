package io.depproxy.e2e;

import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Signs images as {@code cosign sign --key} does, with an ECDSA P-256 key made here: the simple-signing payload naming
 * the manifest digest, signed (SHA256withECDSA, DER) and pushed to an anonymous upstream registry over HTTP as a
 * signature manifest under the tag {@code sha256-<hex>.sig} in the image's repository.
 */
final class CosignSignatures {
    private static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    private final KeyPair keys;

    CosignSignatures() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as cosign.pub holds it. */
    String publicPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** Signs {@code digest} of {@code registry}'s repository {@code name}. */
    void sign(UpstreamRegistry registry, String name, String digest) throws IOException, InterruptedException {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.hostPort() + "/" + name
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image "
                + "signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        registry.pushBlob(name, payload);
        registry.pushBlob(name, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciImageLayout.MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length
                + ",\"digest\":\"" + Digests.sha256(config) + "\"},\"layers\":[{\"mediaType\":\"" + SIMPLE_SIGNING
                + "\",\"size\":" + payload.length + ",\"digest\":\"" + Digests.sha256(payload) + "\",\"annotations\":{"
                + "\"dev.cosignproject.cosign/signature\":\"" + signature(payload) + "\"}}]}";
        String tag = "sha256-" + Digests.hexOf(digest) + ".sig";
        registry.putManifest(name, tag, OciImageLayout.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    private String signature(byte[] payload) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(payload);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

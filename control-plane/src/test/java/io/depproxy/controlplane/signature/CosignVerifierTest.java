package io.depproxy.controlplane.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.policy.SigningKey;
import io.depproxy.controlplane.support.CosignSigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cosign format checked offline: a signature made by the real cosign tool (the fixture of containers/image, see
 * {@code cosign-fixture/README.md}) and signatures the tests make with P-256, RSA and Ed25519 keys.
 */
class CosignVerifierTest {
    private final Map<String, byte[]> blobs = new HashMap<>();

    private String put(byte[] blob) {
        String digest = Digests.sha256(blob);
        blobs.put(digest, blob);
        return digest;
    }

    private Verdict verify(String digest, byte[] manifest, SigningKey... keys) {
        return CosignVerifier.verify(digest, manifest, d -> Optional.ofNullable(blobs.get(d)), List.of(keys));
    }

    private static byte[] fixture(String name) {
        try (InputStream in = CosignVerifierTest.class.getResourceAsStream("/cosign-fixture/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey fixtureKey(String name) {
        return SigningKey.parse(new String(fixture(name), StandardCharsets.UTF_8));
    }

    private static String fixtureSignature() {
        return new String(fixture("signature.b64"), StandardCharsets.UTF_8).trim();
    }

    @Test
    void aSignatureMadeByCosignVerifiesWithItsPublicKey() {
        byte[] payload = fixture("payload.json");
        put(payload);
        String digest = Digests.sha256(fixture("manifest.json"));

        Verdict verdict = verify(digest, CosignSigner.signatureManifest(payload, fixtureSignature(), ""),
                fixtureKey("cosign.pub"));

        assertThat(verdict.verified()).as(verdict.reason()).isTrue();
        assertThat(verdict.reason()).contains(fixtureKey("cosign.pub").fingerprint());
    }

    @Test
    void theCosignSignatureFailsWithAnotherKey() {
        byte[] payload = fixture("payload.json");
        put(payload);
        String digest = Digests.sha256(fixture("manifest.json"));

        Verdict verdict = verify(digest, CosignSigner.signatureManifest(payload, fixtureSignature(), ""),
                fixtureKey("other-cosign.pub"), SigningKey.parse(CosignSigner.p256().publicPem()));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
        assertThat(verdict.reason()).isEqualTo("a signature exists under tag sha256-" + Digests.hexOf(digest)
                + ".sig but none verifies with any of the group's 2 keys");
    }

    @Test
    void theCosignSignatureFailsForATamperedPayload() {
        byte[] payload = fixture("payload.json");
        byte[] tampered = new String(payload, StandardCharsets.UTF_8).replace("single-sample", "single-sampl3")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(payload);
        put(tampered);
        String digest = Digests.sha256(fixture("manifest.json"));

        Verdict verdict = verify(digest, CosignSigner.signatureManifest(tampered, fixtureSignature(), ""),
                fixtureKey("cosign.pub"));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
        assertThat(verdict.reason()).contains("none verifies with the group's key");
    }

    @Test
    void aPayloadThatDoesNotMatchItsLayerDigestIsNotTrusted() {
        byte[] payload = fixture("payload.json");
        byte[] manifest = CosignSigner.signatureManifest(payload, fixtureSignature(), "");
        blobs.put(Digests.sha256(payload), Arrays.copyOf(payload, payload.length - 1));

        Verdict verdict = verify(Digests.sha256(fixture("manifest.json")), manifest, fixtureKey("cosign.pub"));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
        assertThat(verdict.reason()).contains("does not match its digest");
    }

    @Test
    void theCosignSignatureOfOneImageDoesNotCoverAnother() {
        byte[] payload = fixture("payload.json");
        put(payload);
        String other = Digests.sha256("another manifest".getBytes(StandardCharsets.UTF_8));

        Verdict verdict = verify(other, CosignSigner.signatureManifest(payload, fixtureSignature(), ""),
                fixtureKey("cosign.pub"));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
        assertThat(verdict.reason()).contains("signs another digest")
                .contains(Digests.sha256(fixture("manifest.json")));
    }

    @Test
    void signaturesMadeWithEachKindOfKeyVerify() {
        for (CosignSigner signer : List.of(CosignSigner.p256(), CosignSigner.rsa(), CosignSigner.ed25519())) {
            String digest = put(("image of " + signer.publicPem()).getBytes(StandardCharsets.UTF_8));
            byte[] payload = CosignSigner.payload(digest, "registry.test/app");
            put(payload);
            SigningKey key = SigningKey.parse(signer.publicPem());
            SigningKey other = SigningKey.parse(CosignSigner.ed25519().publicPem());

            assertThat(verify(digest, signer.signatureManifest(payload), other, key).verified())
                    .as(key.algorithm()).isTrue();
            assertThat(verify(digest, signer.signatureManifest(payload), other).outcome())
                    .as(key.algorithm()).isEqualTo(Verdict.Outcome.INVALID);
        }
    }

    @Test
    void anRsaPssSignatureVerifiesToo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String digest = put("image signed with PSS".getBytes(StandardCharsets.UTF_8));
        byte[] payload = CosignSigner.payload(digest, "registry.test/app");
        put(payload);
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(pair.getPrivate());
        pss.update(payload);
        String signature = Base64.getEncoder().encodeToString(pss.sign());
        SigningKey key = SigningKey.parse("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");

        assertThat(verify(digest, CosignSigner.signatureManifest(payload, signature, ""), key).verified()).isTrue();
    }

    @Test
    void aManifestWithoutSimpleSigningLayersIsUnsigned() {
        String digest = put("image".getBytes(StandardCharsets.UTF_8));
        byte[] manifest = "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.in-toto+json\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        Verdict verdict = verify(digest, manifest, SigningKey.parse(CosignSigner.p256().publicPem()));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.UNSIGNED);
        assertThat(verdict.reason()).contains(SignatureTags.signatureTag(digest));
    }

    @Test
    void aKeylessSignatureIsNamedAsNotSupported() throws IOException {
        String digest = put("image".getBytes(StandardCharsets.UTF_8));
        byte[] payload = CosignSigner.payload(digest, "registry.test/app");
        put(payload);
        // the layer annotations of a keyless signature made by cosign (Fulcio certificate, Rekor bundle)
        ObjectNode annotations = (ObjectNode) new ObjectMapper().readTree(fixture("keyless-annotations.json"));
        ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(CosignSigner.signatureManifest(payload, "", ""));
        ((ObjectNode) manifest.withArray("layers").get(0)).set("annotations", annotations);

        Verdict verdict = verify(digest, new ObjectMapper().writeValueAsBytes(manifest),
                SigningKey.parse(CosignSigner.p256().publicPem()));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
        assertThat(verdict.reason()).contains("keyless").contains("not supported");
    }

    @Test
    void theSignatureTagsAreRecognised() {
        String digest = Digests.sha256(new byte[0]);
        assertThat(SignatureTags.signatureTag(digest)).isEqualTo("sha256-" + Digests.hexOf(digest) + ".sig");
        assertThat(SignatureTags.isAttachment("sha256-" + Digests.hexOf(digest) + ".att")).isTrue();
        assertThat(SignatureTags.isAttachment("sha256-" + Digests.hexOf(digest) + ".sbom")).isTrue();
        assertThat(SignatureTags.isAttachment("latest")).isFalse();
        assertThat(SignatureTags.isAttachment("sha256-abc.sig")).isFalse();
    }
}

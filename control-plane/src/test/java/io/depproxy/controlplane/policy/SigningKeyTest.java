package io.depproxy.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.controlplane.support.CosignSigner;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The keys a group may list: what cosign.pub holds for P-256, RSA ≥ 2048 and Ed25519; anything else is refused. */
class SigningKeyTest {
    @Test
    void theKeysCosignWritesAreTaken() {
        assertThat(SigningKey.parse(CosignSigner.p256().publicPem()).algorithm()).isEqualTo("ecdsa-p256");
        assertThat(SigningKey.parse(CosignSigner.rsa().publicPem()).algorithm()).isEqualTo("rsa-2048");
        assertThat(SigningKey.parse(CosignSigner.ed25519().publicPem()).algorithm()).isEqualTo("ed25519");
    }

    @Test
    void theSameKeyHasTheSameFingerprintWhateverItsLayout() {
        String pem = CosignSigner.p256().publicPem();
        SigningKey key = SigningKey.parse(pem);
        SigningKey relaid = SigningKey.parse("\n  " + pem.replace("\n", "\r\n") + "\n");
        assertThat(relaid.fingerprint()).isEqualTo(key.fingerprint()).startsWith("sha256:");
    }

    @Test
    void malformedPemIsRefusedWithAMessage() {
        assertThatThrownBy(() -> SigningKey.parse("not a key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM");
        assertThatThrownBy(() -> SigningKey.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ECDSA P-256, RSA or Ed25519");
    }

    @Test
    void aP384KeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> SigningKey.parse(pem("PUBLIC KEY", generator.generateKeyPair().getPublic()
                .getEncoded()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    }

    @Test
    void anRsaKeyOf1024BitsIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        assertThatThrownBy(() -> SigningKey.parse(pem("PUBLIC KEY", generator.generateKeyPair().getPublic()
                .getEncoded()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
    }

    @Test
    void aPrivateKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] privateKey = generator.generateKeyPair().getPrivate().getEncoded();
        assertThatThrownBy(() -> SigningKey.parse(pem("PRIVATE KEY", privateKey)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PUBLIC KEY");
        // a private key's body dressed as a public key is not a public key either
        assertThatThrownBy(() -> SigningKey.parse(pem("PUBLIC KEY", privateKey)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}

package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UpstreamCredentialCipherTest {
    private static final byte[] ENCRYPTION_KEY = filled(7);
    private static final byte[] INTERNAL_SECRET = filled(9);

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private final UpstreamCredentialCipher cipher = new UpstreamCredentialCipher(ENCRYPTION_KEY, INTERNAL_SECRET);

    @Test
    void derivesTheKeyWithHkdfSha256AsRfc5869TestCase3() {
        byte[] okm = UpstreamCredentialCipher.hkdfSha256(HexFormat.of().parseHex("0b".repeat(22)), new byte[0], 32);
        assertThat(HexFormat.of().formatHex(okm))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
    }

    @Test
    void roundTripsAndNeverStoresTheSecretInClear() {
        String sealed = cipher.encrypt(42, "hub-access-token");
        assertThat(sealed).startsWith("v2:").doesNotContain("hub-access-token");
        assertThat(cipher.encrypt(42, "hub-access-token")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(cipher.decrypt(42, sealed)).isEqualTo("hub-access-token");
    }

    @Test
    void theInternalSecretTheAcceleratorHoldsDoesNotOpenWhatIsStoredNow() {
        String sealed = cipher.encrypt(42, "hub-access-token");
        UpstreamCredentialCipher internalOnly = new UpstreamCredentialCipher(INTERNAL_SECRET, INTERNAL_SECRET);
        assertThatThrownBy(() -> internalOnly.decrypt(42, sealed)).isInstanceOf(IllegalArgumentException.class);
        String asLegacy = UpstreamCredentialCipher.LEGACY + sealed.substring(3);
        assertThatThrownBy(() -> internalOnly.decrypt(42, asLegacy)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueSealedUnderTheInternalSecretStillOpensAndIsResealedUnderTheEncryptionKey() {
        String legacy = LegacySealing.sealedUnderTheInternalSecret(42, "hub-access-token", INTERNAL_SECRET);
        assertThat(cipher.decrypt(42, legacy)).isEqualTo("hub-access-token");
        assertThat(cipher.needsReseal(legacy)).isTrue();

        String resealed = cipher.reseal(42, legacy);
        assertThat(resealed).startsWith("v2:");
        assertThat(cipher.needsReseal(resealed)).isFalse();
        assertThat(cipher.reseal(42, resealed)).isSameAs(resealed);
        assertThat(cipher.decrypt(42, resealed)).isEqualTo("hub-access-token");
        assertThatThrownBy(() -> new UpstreamCredentialCipher(INTERNAL_SECRET, INTERNAL_SECRET).decrypt(42, resealed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnotherGroupsCiphertextAnotherKeyAndTampering() {
        String sealed = cipher.encrypt(42, "hub-access-token");
        assertThatThrownBy(() -> cipher.decrypt(43, sealed)).isInstanceOf(IllegalArgumentException.class);
        byte[] otherKey = ENCRYPTION_KEY.clone();
        otherKey[0] = 1;
        assertThatThrownBy(() -> new UpstreamCredentialCipher(otherKey, INTERNAL_SECRET).decrypt(42, sealed))
                .isInstanceOf(IllegalArgumentException.class);
        // flip one bit of the ciphertext itself (a base64 character next to the padding may carry only unused bits)
        int prefix = sealed.indexOf(':') + 1;
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(prefix));
        bytes[bytes.length / 2] ^= 1;
        String tampered = sealed.substring(0, prefix) + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.decrypt(42, tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt(42, "plain")).isInstanceOf(IllegalArgumentException.class);
    }
}

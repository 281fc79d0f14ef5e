package io.depproxy.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDigestTest {

    @Test
    void matchesOnlyTheTokenTheDigestWasMadeOf() {
        String raw = TokenDigest.generate("gldt-");
        String stored = TokenDigest.of(raw);
        assertThat(TokenDigest.matches(stored, raw)).isTrue();
        assertThat(TokenDigest.matches(stored, raw + "x")).isFalse();
        assertThat(TokenDigest.matches(stored, "")).isFalse();
        assertThat(TokenDigest.matches(stored.toUpperCase(), raw)).isFalse();
        assertThat(TokenDigest.matches(null, raw)).isFalse();
        assertThat(TokenDigest.matches(stored, null)).isFalse();
    }
}

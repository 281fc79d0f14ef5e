package io.depproxy.contracts.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.depproxy.contracts.Golden;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalJwtTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final InternalJwt jwt = new InternalJwt(Golden.secret(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsAFreshApiRequestToken() {
        assertThatNoException().isThrownBy(() -> jwt.verifyApiRequest(jwt.apiRequestToken()));
    }

    @Test
    void rejectsAnApiRequestTokenOlderThanNinetySeconds() {
        InternalJwt past = new InternalJwt(Golden.secret(), Clock.fixed(NOW.minusSeconds(91), ZoneOffset.UTC));
        assertThatThrownBy(() -> jwt.verifyApiRequest(past.apiRequestToken())).hasMessageContaining("expired");
    }

    @Test
    void rejectsATokenSignedWithAnotherSecret() {
        InternalJwt other = new InternalJwt(InternalSecret.fromBase64(InternalSecret.generateBase64()));
        assertThatThrownBy(() -> jwt.verify(other.sign(Map.of()))).hasMessageContaining("signature");
    }

    @Test
    void rejectsAlgNone() {
        String header = seg("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = seg("{\"iss\":\"gitlab-workhorse\",\"iat\":" + NOW.getEpochSecond() + "}");
        assertThatThrownBy(() -> jwt.verifyApiRequest(header + "." + claims + "."))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("HS256");
    }

    @Test
    void rejectsATamperedPayload() {
        String[] parts = jwt.sign(Map.of("upload", Map.of("size", 1))).split("\\.");
        String tampered = parts[0] + "." + seg("{\"iss\":\"gitlab-workhorse\",\"upload\":{\"size\":2}}") + "." + parts[2];
        assertThatThrownBy(() -> jwt.verify(tampered)).hasMessageContaining("signature");
    }

    @Test
    void rejectsTheWrongIssuer() {
        assertThatThrownBy(() -> jwt.verify(null)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> jwt.verify("a.b")).hasMessageContaining("not a JWT");
    }

    @Test
    void secretsMustBeThirtyTwoBytes() {
        assertThatThrownBy(() -> InternalSecret.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32");
        assertThat(InternalSecret.fromBase64(InternalSecret.generateBase64())).isNotNull();
    }

    private static String seg(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class InternalJwtTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final InternalJwt jwt = new InternalJwt(Golden.secret(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsAFreshApiRequestToken() {
        assertThatNoException().isThrownBy(() -> jwt.verifyApiRequest(jwt.apiRequestToken()));
    }

    @Test
    void anApiRequestTokenIsIssuedOncePerSecondAndANewOneTheNextSecond() {
        Instant[] now = {NOW.plusMillis(100)};
        Clock ticking = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        InternalJwt issuer = new InternalJwt(Golden.secret(), ticking);

        String first = issuer.apiRequestToken();
        now[0] = NOW.plusMillis(900);
        String sameSecond = issuer.apiRequestToken();
        now[0] = NOW.plusSeconds(1);
        String nextSecond = issuer.apiRequestToken();

        assertThat(sameSecond).isEqualTo(first);
        assertThat(nextSecond).isNotEqualTo(first);
        assertThat(issuer.verify(nextSecond).get("iat").asLong()).isEqualTo(NOW.getEpochSecond() + 1);
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
    void rejectsAMissingOrMalformedToken() {
        assertThatThrownBy(() -> jwt.verify(null)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> jwt.verify("a.b")).hasMessageContaining("not a JWT");
    }

    @Test
    void rejectsTheWrongIssuer() {
        String header = seg("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String claims = seg("{\"iss\":\"someone-else\",\"iat\":" + NOW.getEpochSecond() + "}");
        assertThatThrownBy(() -> jwt.verifyApiRequest(hs256(header + "." + claims, Golden.secret().key())))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("issuer");
    }

    @Test
    void rejectsAnyOtherAlgorithmEvenWithTheRightSecret() {
        String header = seg("{\"alg\":\"HS512\",\"typ\":\"JWT\"}");
        String claims = seg("{\"iss\":\"gitlab-workhorse\",\"iat\":" + NOW.getEpochSecond() + "}");
        String signed = header + "." + claims;
        String token = signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac("HmacSHA512", signed, Golden.secret().key()));
        assertThatThrownBy(() -> jwt.verifyApiRequest(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("HS256");
    }

    @Test
    void rejectsAnApiRequestTokenFromTooFarAheadOrWithoutIat() {
        InternalJwt ahead = new InternalJwt(Golden.secret(), Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC));
        assertThatThrownBy(() -> jwt.verifyApiRequest(ahead.apiRequestToken())).hasMessageContaining("expired");
        InternalJwt slightlyAhead = new InternalJwt(Golden.secret(), Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));
        assertThatNoException().isThrownBy(() -> jwt.verifyApiRequest(slightlyAhead.apiRequestToken()));
        InternalJwt justValid = new InternalJwt(Golden.secret(), Clock.fixed(NOW.minusSeconds(90), ZoneOffset.UTC));
        assertThatNoException().isThrownBy(() -> jwt.verifyApiRequest(justValid.apiRequestToken()));
        assertThatThrownBy(() -> jwt.verifyApiRequest(jwt.sign(Map.of()))).hasMessageContaining("no iat");
    }

    @Test
    void rejectsAnExpiredOrUnexpiringSignedToken() {
        InternalJwt past = new InternalJwt(Golden.secret(), Clock.fixed(NOW.minusSeconds(100), ZoneOffset.UTC));
        assertThatThrownBy(() -> jwt.verifyUnexpired(past.signExpiring(Map.of(), java.time.Duration.ofSeconds(60))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> jwt.verifyUnexpired(jwt.sign(Map.of()))).hasMessageContaining("no exp");
        assertThat(jwt.verifyUnexpired(past.signExpiring(Map.of("k", "v"), java.time.Duration.ofSeconds(100)))
                .path("k").asText()).isEqualTo("v");
    }

    @Test
    void secretsMustBeThirtyTwoBytes() {
        assertThatThrownBy(() -> InternalSecret.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32");
        assertThat(InternalSecret.fromBase64(InternalSecret.generateBase64())).isNotNull();
    }

    private static String hs256(String signed, byte[] key) {
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac("HmacSHA256", signed, key));
    }

    private static byte[] mac(String algorithm, String signed, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String seg(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

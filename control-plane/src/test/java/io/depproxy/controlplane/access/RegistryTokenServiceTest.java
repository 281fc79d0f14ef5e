package io.depproxy.controlplane.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.controlplane.error.RegistryException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * The registry token check on a fixed clock, one wrong thing per token: algorithm ({@code none}, HS256 keyed by the
 * public key, RS512), key id, key, issuer, audience, expiry (with its 30 s leeway), not-before, claims.
 */
class RegistryTokenServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final KeyPair PAIR = rsa();
    private final RegistryKeys keys = new RegistryKeys(PAIR);
    private final RegistryTokenService service = at(NOW);

    private RegistryTokenService at(Instant instant) {
        return new RegistryTokenService(keys, Duration.ofMinutes(15), Clock.fixed(instant, ZoneOffset.UTC));
    }

    /** Claims as the service issues them, for personal access token 7. */
    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(RegistryTokenService.ISSUER);
        claims.setAudience(RegistryTokenService.AUDIENCE);
        claims.setSubject("someone");
        claims.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() + 900));
        claims.setClaim("tid", 7L);
        claims.setClaim("tkd", "pat");
        return claims;
    }

    private String sign(JwtClaims claims, String algorithm, String keyId, Key key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKeyIdHeaderValue(keyId);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private String signed(JwtClaims claims) throws Exception {
        return sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256, keys.keyId(), keys.privateKey());
    }

    private void rejected(String token, String reason) {
        assertThatThrownBy(() -> service.verify(token)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("invalid registry token").hasMessageContaining(reason);
    }

    @Test
    void acceptsWhatItIssuesAndWhatItWouldIssue() throws Exception {
        RegistryTokenService.IssuedToken issued = service.issue(RegistryPrincipal.user(7, 3, "someone", false));
        RegistryTokenService.TokenReference reference = service.verify(issued.token());
        assertThat(reference.tokenId()).isEqualTo(7);
        assertThat(reference.kind()).isEqualTo(RegistryPrincipal.Kind.PERSONAL_ACCESS_TOKEN);
        assertThat(reference.validUntil()).isEqualTo(NOW.plusSeconds(900 + 30));
        assertThat(service.verify(signed(claims())).tokenId()).isEqualTo(7);
    }

    @Test
    void rejectsAlgNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
        rejected(header + "." + b64(claims().toJson()) + ".", "algorithm");
    }

    @Test
    void rejectsHs256KeyedByThePublicKey() throws Exception {
        rejected(sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, keys.keyId(), new HmacKey(keys.publicKey()
                .getEncoded())), "algorithm");
    }

    @Test
    void rejectsAnotherRsaAlgorithmWithTheRightKey() throws Exception {
        rejected(sign(claims(), AlgorithmIdentifiers.RSA_USING_SHA512, keys.keyId(), keys.privateKey()), "algorithm");
    }

    @Test
    void rejectsAnUnknownKeyIdAndAForeignKey() throws Exception {
        rejected(sign(claims(), AlgorithmIdentifiers.RSA_USING_SHA256, "some-other-key", keys.privateKey()), "key");
        rejected(sign(claims(), AlgorithmIdentifiers.RSA_USING_SHA256, keys.keyId(), rsa().getPrivate()), "signature");
        rejected("not.a.jwt", "not a JWT");
        rejected(null, "not a JWT");
    }

    @Test
    void rejectsATamperedPayload() throws Exception {
        String[] parts = signed(claims()).split("\\.");
        JwtClaims other = claims();
        other.setClaim("tid", 1L);
        rejected(parts[0] + "." + b64(other.toJson()) + "." + parts[2], "signature");
    }

    @Test
    void rejectsTheWrongIssuerOrAudience() throws Exception {
        JwtClaims issuer = claims();
        issuer.setIssuer("gitlab-issuer");
        rejected(signed(issuer), "issuer");
        JwtClaims audience = claims();
        audience.setAudience("container_registry");
        rejected(signed(audience), "audience");
        JwtClaims noAudience = claims();
        noAudience.unsetClaim("aud");
        rejected(signed(noAudience), "audience");
    }

    @Test
    void acceptsUpToTheLeewayPastExpiryThenRejects() throws Exception {
        String token = signed(claims());
        assertThat(at(NOW.plusSeconds(900 + 29)).verify(token).tokenId()).isEqualTo(7);
        assertThatThrownBy(() -> at(NOW.plusSeconds(900 + 31)).verify(token)).hasMessageContaining("expired");
        JwtClaims unexpiring = claims();
        unexpiring.unsetClaim("exp");
        rejected(signed(unexpiring), "expired");
    }

    @Test
    void rejectsATokenNotValidYet() throws Exception {
        JwtClaims later = claims();
        later.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 120));
        rejected(signed(later), "not yet valid");
        later.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 20));
        assertThat(service.verify(signed(later)).tokenId()).isEqualTo(7);
    }

    @Test
    void rejectsAnUnknownTokenKind() throws Exception {
        JwtClaims kind = claims();
        kind.setClaim("tkd", "oauth");
        rejected(signed(kind), "token kind");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

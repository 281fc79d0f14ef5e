package io.depproxy.controlplane.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.RegistryException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Registry tokens: RS256 JWTs (SmallRye JWT) carrying the id and kind of the token that was exchanged for them,
 * never the raw token. Verification uses the JDK: fixed algorithm, key id, issuer, audience and expiry.
 */
@Singleton
public class RegistryTokenService {
    public static final String ISSUER = "dependency-proxy";
    public static final String AUDIENCE = "dependency_proxy";
    static final String TOKEN_ID = "tid";
    static final String TOKEN_KIND = "tkd";
    private static final Duration LEEWAY = Duration.ofSeconds(30);

    private final RegistryKeys keys;
    private final Duration ttl;
    private final Clock clock;

    @Inject
    public RegistryTokenService(RegistryKeys keys, ControlPlaneConfig config) {
        this(keys, config.registry().tokenTtl(), Clock.systemUTC());
    }

    RegistryTokenService(RegistryKeys keys, Duration ttl, Clock clock) {
        this.keys = keys;
        this.ttl = ttl;
        this.clock = clock;
    }

    public record IssuedToken(String token, long expiresInSeconds, Instant issuedAt) {
    }

    /**
     * What a verified registry token names; the caller re-checks that the token is still active. {@code validUntil}:
     * the last moment the token is accepted (its expiry plus the leeway).
     */
    public record TokenReference(RegistryPrincipal.Kind kind, long tokenId, Instant validUntil) {
    }

    public IssuedToken issue(RegistryPrincipal principal) {
        Instant now = clock.instant();
        String token = Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(principal.username())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(ttl).getEpochSecond())
                .claim("jti", UUID.randomUUID().toString())
                .claim(TOKEN_ID, principal.tokenId())
                .claim(TOKEN_KIND, principal.kind().claim())
                .jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(keys.privateKey());
        return new IssuedToken(token, ttl.toSeconds(), now);
    }

    /** Throws 401 UNAUTHORIZED for anything but an unexpired token we signed. */
    public TokenReference verify(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("not a JWT");
        }
        JsonNode header = parse(parts[0]);
        if (!"RS256".equals(header.path("alg").asText()) || !keys.keyId().equals(header.path("kid").asText())) {
            throw invalid("unknown algorithm or key");
        }
        if (!signatureMatches(parts[0] + "." + parts[1], decode(parts[2]))) {
            throw invalid("bad signature");
        }
        JsonNode claims = parse(parts[1]);
        long now = clock.instant().getEpochSecond();
        if (!ISSUER.equals(claims.path("iss").asText()) || !hasAudience(claims.path("aud"))) {
            throw invalid("wrong issuer or audience");
        }
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() + LEEWAY.toSeconds() < now) {
            throw invalid("expired");
        }
        try {
            return new TokenReference(RegistryPrincipal.Kind.fromClaim(claims.path(TOKEN_KIND).asText()),
                    claims.path(TOKEN_ID).asLong(),
                    Instant.ofEpochSecond(claims.path("exp").asLong() + LEEWAY.toSeconds()));
        } catch (IllegalArgumentException e) {
            throw invalid("unknown token kind");
        }
    }

    private boolean signatureMatches(String signingInput, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keys.publicKey());
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean hasAudience(JsonNode aud) {
        if (aud.isArray()) {
            for (JsonNode entry : aud) {
                if (AUDIENCE.equals(entry.asText())) {
                    return true;
                }
            }
            return false;
        }
        return AUDIENCE.equals(aud.asText());
    }

    private static JsonNode parse(String segment) {
        try {
            JsonNode node = ContractJson.mapper().readTree(decode(segment));
            if (node == null || !node.isObject()) {
                throw invalid("segment is not an object");
            }
            return node;
        } catch (IOException e) {
            throw invalid("segment is not JSON");
        }
    }

    private static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw invalid("segment is not base64url");
        }
    }

    private static RegistryException invalid(String reason) {
        return RegistryException.unauthorized("invalid registry token: " + reason);
    }
}

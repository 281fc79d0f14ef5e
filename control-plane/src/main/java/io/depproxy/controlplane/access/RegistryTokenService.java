package io.depproxy.controlplane.access;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.RegistryException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Registry tokens: RS256 JWTs (SmallRye JWT) carrying the id and kind of the token that was exchanged for them,
 * never the raw token. Verified by jose4j's consumer (the library SmallRye JWT builds on), on this service's clock:
 * algorithm pinned to RS256 (so {@code none} and HS256-with-the-public-key are refused), our key id only, signature,
 * issuer, audience, expiry and not-before with a 30 s leeway.
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
        if (token == null || token.isBlank()) {
            throw invalid("not a JWT");
        }
        JwtClaims claims;
        try {
            claims = new JwtConsumerBuilder()
                    .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setVerificationKeyResolver(this::keyNamedBy)
                    .setExpectedIssuer(ISSUER)
                    .setExpectedAudience(AUDIENCE)
                    .setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds((int) LEEWAY.toSeconds())
                    .setEvaluationTime(NumericDate.fromSeconds(clock.instant().getEpochSecond()))
                    .build()
                    .processToClaims(token);
        } catch (InvalidJwtException e) {
            throw invalid(reason(e));
        }
        try {
            long expiresAt = claims.getExpirationTime().getValue();
            Number tokenId = claims.getClaimValue(TOKEN_ID, Number.class);
            if (tokenId == null) {
                throw invalid("no token id");
            }
            return new TokenReference(RegistryPrincipal.Kind.fromClaim(claims.getStringClaimValue(TOKEN_KIND)),
                    tokenId.longValue(), Instant.ofEpochSecond(expiresAt + LEEWAY.toSeconds()));
        } catch (MalformedClaimException | IllegalArgumentException e) {
            throw invalid("unknown token kind or id");
        }
    }

    /** The key id lookup: only our own key id resolves, to our public key. */
    private Key keyNamedBy(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
        if (!keys.keyId().equals(jws.getKeyIdHeaderValue())) {
            throw new UnresolvableKeyException("unknown key id");
        }
        return keys.publicKey();
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.EXPIRED) || e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "expired";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "not yet valid";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)
                || e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "wrong issuer or audience";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "bad signature";
        }
        return "unknown algorithm or key, or not a JWT";
    }

    private static RegistryException invalid(String reason) {
        return RegistryException.unauthorized("invalid registry token: " + reason);
    }
}

package io.depproxy.contracts.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.ContractJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;

/**
 * HS256 JWTs keyed by the internal secret, issuer {@code gitlab-workhorse}: the request token of
 * {@code Gitlab-Workhorse-Api-Request} (with {@code iat}, valid 90 s) and the signed upload descriptor (with
 * {@code exp}). Signed and verified by jose4j (the JOSE library under SmallRye JWT): the algorithm is pinned to
 * HS256, so {@code none} and every other algorithm are refused before the signature is looked at. The claims are
 * written by Jackson, so the tokens stay byte-identical to the golden strings both services test against.
 */
public final class InternalJwt {
    public static final String ISSUER = "gitlab-workhorse";
    public static final Duration API_REQUEST_VALIDITY = Duration.ofSeconds(90);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final HmacKey key;
    private final Clock clock;
    /** The token of the current second: HS256 is deterministic, so signing again within it gives the same string. */
    private volatile IssuedToken lastApiRequestToken = new IssuedToken(Long.MIN_VALUE, null);

    private record IssuedToken(long issuedAt, String token) {
    }

    public InternalJwt(InternalSecret secret, Clock clock) {
        this.key = new HmacKey(secret.key());
        this.clock = clock;
    }

    public InternalJwt(InternalSecret secret) {
        this(secret, Clock.systemUTC());
    }

    /**
     * A fresh {@code Gitlab-Workhorse-Api-Request} value: issued this second ({@code iat} counts whole seconds, so
     * every call within one second answers the same token, signed once; the accelerator asks for one per request).
     */
    public String apiRequestToken() {
        long now = clock.instant().getEpochSecond();
        IssuedToken last = lastApiRequestToken;
        if (last.issuedAt() == now) {
            return last.token();
        }
        String token = sign(Map.of("iat", now));
        lastApiRequestToken = new IssuedToken(now, token);
        return token;
    }

    /** Verifies a {@code Gitlab-Workhorse-Api-Request} value, including its age (at most 90 s, 30 s ahead). */
    public void verifyApiRequest(String token) {
        int validity = (int) API_REQUEST_VALIDITY.minus(CLOCK_SKEW).toSeconds();
        verify(token, checks -> checks.setRequireIssuedAt().setIssuedAtRestrictions(0, validity));
    }

    /** Signs {@code claims} plus {@code iss} and an {@code exp} {@code validity} from now. */
    public String signExpiring(Map<String, ?> claims, Duration validity) {
        Map<String, Object> withExpiry = new LinkedHashMap<>(claims);
        withExpiry.put("exp", clock.instant().plus(validity).getEpochSecond());
        return sign(withExpiry);
    }

    /** As {@link #verify}, and the token must carry an {@code exp} that has not passed (give or take the skew). */
    public JsonNode verifyUnexpired(String token) {
        return verify(token, JwtConsumerBuilder::setRequireExpirationTime);
    }

    /** Signs {@code claims} plus {@code iss}. */
    public String sign(Map<String, ?> claims) {
        ObjectNode payload = ContractJson.mapper().createObjectNode();
        claims.forEach((name, value) -> payload.set(name, ContractJson.mapper().valueToTree(value)));
        payload.put("iss", ISSUER);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setPayload(ContractJson.write(payload));
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an internal token", e);
        }
    }

    /** Checks the algorithm, signature and issuer (and {@code exp}/{@code nbf} when present), returns the claims. */
    public JsonNode verify(String token) {
        return verify(token, UnaryOperator.identity());
    }

    private JsonNode verify(String token, UnaryOperator<JwtConsumerBuilder> extraChecks) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("internal token is missing");
        }
        JwtConsumerBuilder checks = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setVerificationKey(key)
                .setExpectedIssuer(ISSUER)
                .setAllowedClockSkewInSeconds((int) CLOCK_SKEW.toSeconds())
                .setEvaluationTime(NumericDate.fromSeconds(clock.instant().getEpochSecond()));
        try {
            String claims = extraChecks.apply(checks).build().process(token.trim()).getJwtClaims().getRawJson();
            return ContractJson.mapper().readTree(claims);
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException(reason(e));
        } catch (IOException e) {
            throw new InvalidTokenException("internal token claims are not JSON");
        }
    }

    /** The rejection in the words the services log and answer with. */
    private static String reason(InvalidJwtException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidAlgorithmException) {
                return "internal token must be HS256";
            }
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "internal token signature does not match";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "internal token has the wrong issuer";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return "internal request token has no iat";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "internal token has no exp";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRED) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_PAST)
                || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE) || e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "internal token is expired or not yet valid";
        }
        return "internal token is not a JWT";
    }
}

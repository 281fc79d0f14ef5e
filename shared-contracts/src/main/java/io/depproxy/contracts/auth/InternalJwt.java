package io.depproxy.contracts.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.ContractJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWTs keyed by the internal secret, issuer {@code gitlab-workhorse}: the request token of
 * {@code Gitlab-Workhorse-Api-Request} (with {@code iat}, valid 90 s) and the signed upload descriptor (with
 * {@code exp}).
 */
public final class InternalJwt {
    public static final String ISSUER = "gitlab-workhorse";
    public static final Duration API_REQUEST_VALIDITY = Duration.ofSeconds(90);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final String HEADER = encodeSegment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final InternalSecret secret;
    private final Clock clock;

    public InternalJwt(InternalSecret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    public InternalJwt(InternalSecret secret) {
        this(secret, Clock.systemUTC());
    }

    /** A fresh {@code Gitlab-Workhorse-Api-Request} value. */
    public String apiRequestToken() {
        return sign(Map.of("iat", clock.instant().getEpochSecond()));
    }

    /** Verifies a {@code Gitlab-Workhorse-Api-Request} value, including its age. */
    public void verifyApiRequest(String token) {
        JsonNode claims = verify(token);
        JsonNode iat = claims.get("iat");
        if (iat == null || !iat.canConvertToLong()) {
            throw new InvalidTokenException("internal request token has no iat");
        }
        long now = clock.instant().getEpochSecond();
        long age = now - iat.asLong();
        if (age > API_REQUEST_VALIDITY.getSeconds() || age < -CLOCK_SKEW.getSeconds()) {
            throw new InvalidTokenException("internal request token is expired");
        }
    }

    /** Signs {@code claims} plus {@code iss} and an {@code exp} {@code validity} from now. */
    public String signExpiring(Map<String, ?> claims, Duration validity) {
        Map<String, Object> withExpiry = new LinkedHashMap<>(claims);
        withExpiry.put("exp", clock.instant().plus(validity).getEpochSecond());
        return sign(withExpiry);
    }

    /** As {@link #verify}, and the token must carry an {@code exp} that has not passed (give or take the skew). */
    public JsonNode verifyUnexpired(String token) {
        JsonNode claims = verify(token);
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.canConvertToLong()) {
            throw new InvalidTokenException("internal token has no exp");
        }
        if (clock.instant().getEpochSecond() > exp.asLong() + CLOCK_SKEW.getSeconds()) {
            throw new InvalidTokenException("internal token is expired");
        }
        return claims;
    }

    /** Signs {@code claims} plus {@code iss}. */
    public String sign(Map<String, ?> claims) {
        ObjectNode payload = ContractJson.mapper().createObjectNode();
        claims.forEach((name, value) -> payload.set(name, ContractJson.mapper().valueToTree(value)));
        payload.put("iss", ISSUER);
        String signingInput = HEADER + "." + encodeSegment(ContractJson.write(payload).getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + encodeSegment(hmac(signingInput));
    }

    /** Checks the algorithm, signature and issuer, and returns the claims. */
    public JsonNode verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("internal token is missing");
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("internal token is not a JWT");
        }
        JsonNode header = parseSegment(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new InvalidTokenException("internal token must be HS256");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, decodeSegment(parts[2]))) {
            throw new InvalidTokenException("internal token signature does not match");
        }
        JsonNode claims = parseSegment(parts[1]);
        if (!ISSUER.equals(claims.path("iss").asText())) {
            throw new InvalidTokenException("internal token has the wrong issuer");
        }
        return claims;
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static JsonNode parseSegment(String segment) {
        try {
            JsonNode node = ContractJson.mapper().readTree(decodeSegment(segment));
            if (node == null || !node.isObject()) {
                throw new InvalidTokenException("internal token segment is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new InvalidTokenException("internal token segment is not JSON");
        }
    }

    private static byte[] decodeSegment(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("internal token segment is not base64url");
        }
    }

    private static String encodeSegment(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

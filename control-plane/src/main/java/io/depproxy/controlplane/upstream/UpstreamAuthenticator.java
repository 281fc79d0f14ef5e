package io.depproxy.controlplane.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.controlplane.access.TokenDigest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Authorization} value for pulling one repository from the upstream. The auth scheme is discovered from
 * the {@code WWW-Authenticate} challenge of {@code GET <upstream>/v2/} (cached per upstream, but only once its token
 * realm passed the outbound destination policy: a refused realm is never contacted and never remembered); Bearer
 * tokens are cached per (upstream, scope, credentials) until {@code expires_in} minus a margin. The upstream's
 * credentials go to the realm only as the shared rule allows ({@link OutboundCredentials#realmMayReceive}: https, or
 * plain http on the host of a plain-http upstream).
 */
@Singleton
public class UpstreamAuthenticator {
    static final Duration CHALLENGE_TTL = Duration.ofHours(1);
    static final long DEFAULT_EXPIRES_IN = 60;
    private static final int MAX_CACHED_TOKENS = 10_000;

    private final UpstreamHttp http;
    private final OutboundDestinations destinations;
    private final Clock clock;
    private final Map<String, Expiring<AuthChallenge>> challenges = new ConcurrentHashMap<>();
    private final Map<TokenKey, Expiring<String>> tokens = new ConcurrentHashMap<>();

    private record Expiring<T>(T value, Instant expiresAt) {
    }

    private record TokenKey(String upstream, String scope, String credentials) {
    }

    @Inject
    public UpstreamAuthenticator(UpstreamHttp http, OutboundDestinations destinations) {
        this(http, destinations, Clock.systemUTC());
    }

    UpstreamAuthenticator(UpstreamHttp http, OutboundDestinations destinations, Clock clock) {
        this.http = http;
        this.destinations = destinations;
        this.clock = clock;
    }

    /**
     * The header value for pulls of {@code upstreamName} from {@code upstream}, or empty when it wants none.
     * {@code group}: the group's own credentials for it, used instead of the upstream's; null = the upstream's.
     */
    public Optional<String> authorization(UpstreamEndpoint upstream, String upstreamName, UpstreamCredentials group) {
        Optional<UpstreamCredentials> credentials = Optional.ofNullable(group != null ? group : upstream.credentials());
        AuthChallenge challenge = challenge(upstream.name(), upstream.baseUrl());
        return switch (challenge.scheme()) {
            case NONE -> Optional.empty();
            case BASIC -> credentials.map(UpstreamCredentials::basicHeader);
            case BEARER -> Optional.of("Bearer " + token(upstream.name(), upstream.baseUrl(), challenge,
                    "repository:" + upstreamName + ":pull", credentials));
        };
    }

    /** Forgets the token for {@code upstreamName} and the challenge, after the upstream answered 401. */
    public void invalidate(UpstreamEndpoint upstream, String upstreamName) {
        challenges.remove(upstream.baseUrl());
        String scope = "repository:" + upstreamName + ":pull";
        tokens.keySet().removeIf(key -> key.upstream().equals(upstream.baseUrl()) && key.scope().equals(scope));
    }

    private AuthChallenge challenge(String name, String baseUrl) {
        Instant now = clock.instant();
        Expiring<AuthChallenge> cached = challenges.get(baseUrl);
        if (cached != null && cached.expiresAt().isAfter(now)) {
            return cached.value();
        }
        Origin upstream = Origin.of(baseUrl);
        UpstreamHttp.Result result = http.get(name, upstream, URI.create(baseUrl + "/v2/"), Map.of());
        if (result.status() >= 500) {
            throw new UpstreamException("upstream /v2/ answered " + result.status());
        }
        AuthChallenge challenge = result.status() == 401
                ? AuthChallenge.parse(result.header("WWW-Authenticate")) : AuthChallenge.NONE;
        if (challenge.scheme() == AuthChallenge.Scheme.BEARER) {
            destinations.check(realmUri(challenge), upstream); // refused: thrown, and not remembered
        }
        challenges.put(baseUrl, new Expiring<>(challenge, now.plus(CHALLENGE_TTL)));
        return challenge;
    }

    /**
     * A token of the upstream's token service for {@code scope} (an empty scope: what {@code GET /v2/} needs, as the
     * connection test asks); throws {@link UpstreamAccessRefused} when the service refuses the credentials.
     */
    String token(String name, String baseUrl, AuthChallenge challenge, String scope,
                 Optional<UpstreamCredentials> credentials) {
        Instant now = clock.instant();
        TokenKey key = new TokenKey(baseUrl, scope, fingerprint(credentials));
        Expiring<String> cached = tokens.get(key);
        if (cached != null && cached.expiresAt().isAfter(now)) {
            return cached.value();
        }
        URI uri = tokenUri(challenge, scope);
        if (credentials.isPresent() && !OutboundCredentials.realmMayReceive(URI.create(baseUrl), uri)) {
            throw destinations.refused(new OutboundRefused(uri.getHost(), null, "the token realm " + UpstreamHttp.redact(uri)
                    + " would receive the upstream's credentials over plain http on another host than " + baseUrl));
        }
        UpstreamHttp.Result result = http.get(name, Origin.of(baseUrl), uri, credentials
                .map(c -> Map.of("Authorization", c.basicHeader())).orElse(Map.of()));
        if (UpstreamAccessRefused.isRefusal(result.status())) {
            throw new UpstreamAccessRefused("upstream token service refused " + scope + " (" + result.status() + ")");
        }
        if (result.status() != 200) {
            throw new UpstreamException("upstream token request answered " + result.status());
        }
        JsonNode body = parseToken(result.body());
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText();
        if (token.isEmpty()) {
            throw new UpstreamException("upstream token response has no token");
        }
        long expiresIn = body.path("expires_in").asLong(DEFAULT_EXPIRES_IN);
        expiresIn = expiresIn <= 0 ? DEFAULT_EXPIRES_IN : expiresIn;
        long margin = Math.max(5, Math.min(30, expiresIn / 4));
        if (tokens.size() > MAX_CACHED_TOKENS) {
            tokens.values().removeIf(entry -> !entry.expiresAt().isAfter(now));
        }
        tokens.put(key, new Expiring<>(token, now.plusSeconds(Math.max(0, expiresIn - margin))));
        return token;
    }

    private static URI realmUri(AuthChallenge challenge) {
        try {
            return URI.create(challenge.realm());
        } catch (IllegalArgumentException e) {
            throw new UpstreamException("upstream token realm is not a URL", e);
        }
    }

    private static URI tokenUri(AuthChallenge challenge, String scope) {
        StringBuilder uri = new StringBuilder(challenge.realm());
        uri.append(challenge.realm().contains("?") ? '&' : '?');
        if (challenge.service() != null) {
            uri.append("service=").append(URLEncoder.encode(challenge.service(), StandardCharsets.UTF_8)).append('&');
        }
        uri.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        try {
            return URI.create(uri.toString());
        } catch (IllegalArgumentException e) {
            throw new UpstreamException("upstream token realm is not a URL", e);
        }
    }

    private static JsonNode parseToken(String body) {
        try {
            JsonNode node = ContractJson.mapper().readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                throw new UpstreamException("upstream token response is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new UpstreamException("upstream token response is not JSON", e);
        }
    }

    /** Tokens are cached per credentials: a digest, so the cache never holds a secret in clear as a key. */
    private static String fingerprint(Optional<UpstreamCredentials> credentials) {
        return credentials.map(c -> TokenDigest.of(c.identity() + ":" + c.secret())).orElse("anonymous");
    }
}

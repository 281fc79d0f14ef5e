package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.DeployToken;
import io.depproxy.controlplane.domain.DeployTokenRepository;
import io.depproxy.controlplane.domain.PersonalAccessToken;
import io.depproxy.controlplane.domain.PersonalAccessTokenRepository;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.User;
import io.depproxy.controlplane.domain.UserRepository;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.depproxy.controlplane.config.HotPathConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Who is calling: registry logins (PAT or deploy token), registry bearer tokens, and admin API tokens. */
@ApplicationScoped
public class AuthenticationService {
    private static final Set<String> REGISTRY_SCOPES = Set.of(TokenScopes.READ_REGISTRY, TokenScopes.API);
    private static final Set<String> ADMIN_API_SCOPES = Set.of(TokenScopes.API, TokenScopes.ADMIN);
    private static final int MAX_CHECKED_TOKENS = 10_000;

    @Inject
    UserRepository users;
    @Inject
    PersonalAccessTokenRepository personalTokens;
    @Inject
    DeployTokenRepository deployTokens;
    @Inject
    RegistryTokenService registryTokens;
    @Inject
    HotPathConfig hotPath;

    private ShortLivedCache<String, RegistryPrincipal> checkedTokens;

    /** {@code /jwt/auth}: username plus personal access token or deploy token; 401 when they do not match. */
    @Transactional
    public RegistryPrincipal login(String username, String secret) {
        if (username == null || username.isBlank() || secret == null || secret.isEmpty()) {
            throw RegistryException.unauthorized("HTTP Basic: Access denied");
        }
        Instant now = Instant.now();
        String digest = TokenDigest.of(secret);
        Optional<PersonalAccessToken> pat = personalTokens.findByDigest(digest)
                .filter(t -> TokenDigest.matches(t.getTokenDigest(), secret) && t.isActiveAt(now));
        if (pat.isPresent()) {
            User user = users.findByIdOptional(pat.get().getUserId()).filter(User::isActive)
                    .filter(u -> u.getUsername().equalsIgnoreCase(username))
                    .orElseThrow(() -> RegistryException.unauthorized("HTTP Basic: Access denied"));
            requireScope(pat.get().getScopes());
            pat.get().markUsed(now);
            return RegistryPrincipal.user(pat.get().getId(), user.getId(), user.getUsername(), user.isAdmin());
        }
        DeployToken deploy = deployTokens.findByUsername(username)
                .filter(t -> TokenDigest.matches(t.getTokenDigest(), secret) && t.isActiveAt(now))
                .orElseThrow(() -> RegistryException.unauthorized("HTTP Basic: Access denied"));
        requireScope(deploy.getScopes());
        return RegistryPrincipal.deployToken(deploy.getId(), deploy.getUsername(), deploy.getGroupId());
    }

    @PostConstruct
    void createCache() {
        checkedTokens = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_CHECKED_TOKENS);
    }

    /**
     * A registry request's {@code Authorization: Bearer <registry token>}, re-checked against the database: the token
     * behind it must still be active (not revoked or expired) and, for a personal access token, have a registry
     * scope and an active user. No {@code Authorization} at all is the anonymous principal, which only groups that
     * allow anonymous pulls serve (see {@code GroupAccessService}). Anything else is 401, as an expired registry
     * token is. A passed check is reused for at most {@code DP_DECISION_CACHE_TTL} (and never past the registry
     * token's expiry), so a revoked token, a blocked user or a dropped scope stop working within that bound.
     */
    public RegistryPrincipal authenticateRegistryRequest(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return RegistryPrincipal.anonymous();
        }
        String token = BasicCredentials.bearer(authorization)
                .orElseThrow(() -> RegistryException.unauthorized("authentication required"));
        Optional<RegistryPrincipal> checked = checkedTokens.get(token);
        if (checked.isPresent()) {
            return checked.get();
        }
        RegistryTokenService.TokenReference reference = registryTokens.verify(token);
        RegistryPrincipal principal = activePrincipal(reference);
        checkedTokens.put(token, principal, Duration.between(Instant.now(), reference.validUntil()));
        return principal;
    }

    private RegistryPrincipal activePrincipal(RegistryTokenService.TokenReference reference) {
        if (reference.kind() == RegistryPrincipal.Kind.ANONYMOUS) {
            return RegistryPrincipal.anonymous();
        }
        Instant now = Instant.now();
        RegistryException revoked = RegistryException.unauthorized("the token behind this registry token is no longer valid");
        if (reference.kind() == RegistryPrincipal.Kind.DEPLOY_TOKEN) {
            DeployToken deploy = deployTokens.findByIdOptional(reference.tokenId()).filter(t -> t.isActiveAt(now))
                    .orElseThrow(() -> revoked);
            return RegistryPrincipal.deployToken(deploy.getId(), deploy.getUsername(), deploy.getGroupId());
        }
        PersonalAccessToken pat = personalTokens.findByIdOptional(reference.tokenId())
                .filter(t -> t.isActiveAt(now))
                .filter(t -> t.getScopes().stream().anyMatch(REGISTRY_SCOPES::contains))
                .orElseThrow(() -> revoked);
        User user = users.findByIdOptional(pat.getUserId()).filter(User::isActive).orElseThrow(() -> revoked);
        return RegistryPrincipal.user(pat.getId(), user.getId(), user.getUsername(), user.isAdmin());
    }

    /**
     * Admin API: the personal access token of {@code PRIVATE-TOKEN} or {@code Authorization: Bearer}. 401 when it is
     * missing, unknown, expired or revoked (or its user is blocked); 403 without the {@code api} or {@code admin} scope.
     */
    @Transactional
    public ApiCaller authenticateApi(String privateToken, String authorization) {
        String raw = privateToken != null && !privateToken.isBlank() ? privateToken.trim()
                : BasicCredentials.bearer(authorization).orElseThrow(ApiException::unauthorized);
        return apiCaller(personalTokens.findByDigest(TokenDigest.of(raw)));
    }

    /**
     * The admin page's session: the personal access token it was opened with, checked as {@link #authenticateApi}
     * checks it on every request (revoked, expired, blocked user: 401; no api or admin scope: 403).
     */
    @Transactional
    public ApiCaller authenticateApiToken(long personalAccessTokenId) {
        return apiCaller(personalTokens.findByIdOptional(personalAccessTokenId));
    }

    /**
     * Who holds an admin API token, before anyone asks what it may do: the user of an active personal access token
     * (401 when it is unknown, expired or revoked, or its user is blocked), with all of the token's scopes; the API's
     * resources then require the {@code api} or {@code admin} scope (403 otherwise). Only a token with one of those
     * scopes is marked used.
     */
    @Transactional
    public ApiCaller apiTokenHolder(String personalAccessToken) {
        return holder(personalTokens.findByDigest(TokenDigest.of(personalAccessToken)), Instant.now());
    }

    private ApiCaller apiCaller(Optional<PersonalAccessToken> token) {
        ApiCaller caller = holder(token, Instant.now());
        if (caller.scopes().stream().noneMatch(ADMIN_API_SCOPES::contains)) {
            throw ApiException.insufficientScope();
        }
        return caller;
    }

    private ApiCaller holder(Optional<PersonalAccessToken> token, Instant now) {
        PersonalAccessToken pat = token.filter(t -> t.isActiveAt(now)).orElseThrow(ApiException::unauthorized);
        User user = users.findByIdOptional(pat.getUserId()).filter(User::isActive)
                .orElseThrow(ApiException::unauthorized);
        if (pat.getScopes().stream().anyMatch(ADMIN_API_SCOPES::contains)) {
            pat.markUsed(now);
        }
        return new ApiCaller(user, pat.getId(), pat.getScopes());
    }

    private static void requireScope(Set<String> scopes) {
        if (scopes.stream().noneMatch(REGISTRY_SCOPES::contains)) {
            throw RegistryException.denied("the token lacks the read_registry scope");
        }
    }
}

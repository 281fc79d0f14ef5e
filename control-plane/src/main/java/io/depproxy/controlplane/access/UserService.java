package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.PersonalAccessToken;
import io.depproxy.controlplane.domain.PersonalAccessTokenRepository;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.User;
import io.depproxy.controlplane.domain.UserRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users and their personal access tokens (scopes {@code read_registry}, {@code api}, {@code admin}). Administrators
 * create users and tokens; a raw token is returned once, at creation, and only its digest is stored. A token is
 * revoked by an administrator or its owner, and stops working at once (registry tokens issued for it too).
 */
@ApplicationScoped
public class UserService {
    public static final Set<String> SCOPES = Set.of(TokenScopes.READ_REGISTRY, TokenScopes.API, TokenScopes.ADMIN);
    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,254}");

    @Inject
    UserRepository users;
    @Inject
    PersonalAccessTokenRepository personalTokens;
    @Inject
    GroupPermissions permissions;

    /** A token and, only right after its creation, its raw value. */
    public record Created(PersonalAccessToken token, String rawToken) {
    }

    @Transactional
    public User createUser(ApiCaller caller, String username, String name, String email, boolean admin) {
        permissions.requireAdmin(caller);
        if (username == null) {
            throw ApiException.missing("username");
        }
        if (name == null) {
            throw ApiException.missing("name");
        }
        if (!USERNAME.matcher(username).matches() || username.startsWith("deploy-token-")) {
            throw ApiException.invalid("username is invalid");
        }
        if (name.isBlank() || name.length() > 255) {
            throw ApiException.invalid("name is invalid");
        }
        if (email != null && (email.length() > 255 || !email.matches("[^@\\s]+@[^@\\s]+"))) {
            throw ApiException.invalid("email is invalid");
        }
        if (users.findByUsername(username).isPresent()) {
            throw ApiException.conflict("Username has already been taken");
        }
        User user = User.create(username, name.trim(), email, admin);
        try {
            users.persistAndFlush(user);
        } catch (PersistenceException e) {
            throw ApiException.conflict("Username has already been taken");
        }
        return user;
    }

    public Page<User> list(ApiCaller caller, String username, PageRequest page) {
        permissions.requireAdmin(caller);
        return users.page(username == null || username.isBlank() ? null : username.trim(), page);
    }

    @Transactional
    public Created createPersonalAccessToken(ApiCaller caller, long userId, String name, List<String> scopes,
                                             Instant expiresAt) {
        permissions.requireAdmin(caller);
        NewTokenRules.requirePresent(name, scopes);
        User user = users.findByIdOptional(userId).orElseThrow(() -> ApiException.notFound("User"));
        Set<String> granted = NewTokenRules.granted(name, scopes, SCOPES, "read_registry, api, admin", expiresAt);
        return issue(user.getId(), name.trim(), granted, expiresAt);
    }

    /** {@code DELETE /personal_access_tokens/:id}: by an administrator, or by the token's owner. */
    @Transactional
    public void revokePersonalAccessToken(ApiCaller caller, long tokenId) {
        PersonalAccessToken token = personalTokens.findByIdOptional(tokenId)
                .filter(t -> caller.admin() || t.getUserId().equals(caller.userId()))
                .orElseThrow(() -> ApiException.notFound("Personal Access Token"));
        token.setRevoked(true);
    }

    private Created issue(long userId, String name, Set<String> scopes, Instant expiresAt) {
        String raw = TokenDigest.generate("glpat-");
        PersonalAccessToken token = PersonalAccessToken.create(userId, name, TokenDigest.of(raw), scopes, expiresAt);
        personalTokens.persistAndFlush(token);
        return new Created(token, raw);
    }
}

package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.AuthenticationService;
import io.depproxy.controlplane.access.TokenDigest;
import io.depproxy.controlplane.config.AdminPageConfig;
import io.depproxy.controlplane.domain.AdminPageSessionRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Sign-in to the admin page with a personal access token. Sessions live in PostgreSQL (every replica sees them,
 * signing out ends them everywhere); each request re-checks the token behind the session exactly as the API checks a
 * {@code PRIVATE-TOKEN}, so the page has no permission model of its own.
 */
@ApplicationScoped
public class AdminSessions {
    /** 32 random bytes in unpadded base64url. */
    private static final int SECRET_LENGTH = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AuthenticationService authentication;
    @Inject
    AdminPageSessionRepository sessions;
    @Inject
    AdminPageConfig config;

    /** A signed-in request: who acts, and the token every form of this session must carry. */
    public record Session(ApiCaller caller, String csrfToken) {
    }

    /** Opens a session for the token (401 or 403 as the API would answer it) and returns the cookie's value. */
    @Transactional
    public String signIn(String personalAccessToken) {
        if (personalAccessToken == null || personalAccessToken.isBlank()) {
            throw ApiException.missing("token");
        }
        ApiCaller caller = authentication.authenticateApi(personalAccessToken, null);
        sessions.deleteExpired();
        String sessionId = randomSecret();
        sessions.insert(TokenDigest.of(sessionId), caller.tokenId(), randomSecret(),
                Instant.now().plus(config.adminSessionTtl()));
        return sessionId;
    }

    /**
     * The session of a cookie value, when it exists, has not expired, and its token still passes the API's checks.
     * No transaction of its own: a refused token rolls back only the check's transaction.
     */
    public Optional<Session> resume(String sessionId) {
        if (sessionId == null || sessionId.length() != SECRET_LENGTH) {
            return Optional.empty();
        }
        return sessions.findActive(TokenDigest.of(sessionId)).flatMap(stored -> {
            try {
                return Optional.of(new Session(authentication.authenticateApiToken(stored.personalAccessTokenId()),
                        stored.csrfToken()));
            } catch (ApiException e) {
                return Optional.empty();
            }
        });
    }

    @Transactional
    public void signOut(String sessionId) {
        if (sessionId != null && !sessionId.isEmpty()) {
            sessions.delete(TokenDigest.of(sessionId));
        }
    }

    /** 32 random bytes, unpadded base64url: session ids and CSRF tokens. */
    static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

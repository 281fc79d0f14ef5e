package io.depproxy.controlplane.access;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.PersonalAccessToken;
import io.depproxy.controlplane.domain.PersonalAccessTokenRepository;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.User;
import io.depproxy.controlplane.domain.UserRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * At start-up: user {@code root} (admin) whose personal access token {@value #TOKEN_NAME} is {@code DP_ADMIN_TOKEN},
 * created or rotated. Idempotent, and safe when several replicas start at once (advisory lock).
 */
@ApplicationScoped
public class BootstrapService {
    static final String ROOT = "root";
    static final String TOKEN_NAME = "bootstrap-admin";
    private static final long LOCK_KEY = 0x6470_626f_6f74L;
    private static final Set<String> SCOPES = new LinkedHashSet<>(
            List.of(TokenScopes.API, TokenScopes.READ_REGISTRY, TokenScopes.ADMIN));

    @Inject
    ControlPlaneConfig config;
    @Inject
    UserRepository users;
    @Inject
    PersonalAccessTokenRepository tokens;

    void onStart(@Observes StartupEvent event) {
        String adminToken = config.adminToken().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (adminToken == null) {
            Log.warn("DP_ADMIN_TOKEN is not set: no bootstrap admin token (existing tokens keep working)");
            return;
        }
        ensureRootToken(adminToken);
    }

    @Transactional
    void ensureRootToken(String rawToken) {
        users.getEntityManager().createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) AS locked")
                .setParameter(1, LOCK_KEY).getSingleResult();
        User root = users.findByUsername(ROOT).orElseGet(() -> {
            User created = User.create(ROOT, "Administrator", "admin@example.com", true);
            users.persist(created);
            return created;
        });
        root.setAdmin(true);
        root.setState(User.ACTIVE);
        String digest = TokenDigest.of(rawToken);
        PersonalAccessToken owner = tokens.findByDigest(digest).orElse(null);
        if (owner != null && !owner.getUserId().equals(root.getId())) {
            throw new IllegalStateException("DP_ADMIN_TOKEN is already the token of another user");
        }
        PersonalAccessToken token = owner != null ? owner : tokens.findByUserAndName(root.getId(), TOKEN_NAME).orElse(null);
        if (token == null) {
            tokens.persist(PersonalAccessToken.create(root.getId(), TOKEN_NAME, digest, SCOPES, null));
            Log.info("bootstrap admin token created for user root");
            return;
        }
        boolean rotated = !token.getTokenDigest().equals(digest);
        token.setTokenDigest(digest);
        token.setScopes(SCOPES);
        token.setRevoked(false);
        token.setExpiresAt(null);
        if (rotated) {
            Log.info("bootstrap admin token rotated for user root");
        }
    }
}

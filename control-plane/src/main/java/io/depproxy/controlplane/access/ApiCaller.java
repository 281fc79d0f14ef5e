package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.User;
import java.util.Set;

/** Who calls the admin API: the user behind a personal access token with the {@code api} or {@code admin} scope. */
public record ApiCaller(User user, long tokenId, Set<String> scopes) {

    public long userId() {
        return user.getId();
    }

    /**
     * Instance-admin rights need both an admin user and a token with the {@code admin} scope; an admin user's
     * {@code api} token acts with that user's ordinary rights (as a member of its groups).
     */
    public boolean admin() {
        return user.isAdmin() && scopes.contains(TokenScopes.ADMIN);
    }
}

package io.depproxy.controlplane.auth;

import io.depproxy.controlplane.domain.User;
import java.util.Set;

/** Who calls the admin API: the user behind a personal access token with the {@code api} or {@code admin} scope. */
public record ApiCaller(User user, long tokenId, Set<String> scopes) {

    public long userId() {
        return user.getId();
    }

    public boolean admin() {
        return user.isAdmin();
    }
}

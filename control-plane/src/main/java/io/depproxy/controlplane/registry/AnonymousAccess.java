package io.depproxy.controlplane.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Whether {@code /jwt/auth} gives a client without credentials an anonymous registry token: when every repository
 * its {@code scope}s name is in a group that allows anonymous pulls ({@code repository:<group>/dependency_proxy/
 * containers/<image>:pull}, or a root name on a mirror whose group does), and, without a scope, when the mirror's group
 * does. The token itself grants nothing: every pull with it is decided again ({@link GroupAccessService}).
 */
@ApplicationScoped
public class AnonymousAccess {
    @Inject
    GroupAccessService access;
    @Inject
    MirrorRouting mirror;

    public boolean mayIssueToken(List<String> scopes) {
        List<String> named = scopes == null ? List.of() : scopes.stream().filter(s -> s != null && !s.isBlank()).toList();
        if (named.isEmpty()) {
            return mirrorAllows();
        }
        return named.stream().allMatch(this::allows);
    }

    private boolean allows(String scope) {
        String[] parts = scope.split(":", -1);
        if (parts.length < 3 || !parts[0].equals("repository")) {
            return false;
        }
        return RegistryRequest.groupOfRepository(parts[1]).map(access::allowsAnonymous).orElseGet(this::mirrorAllows);
    }

    private boolean mirrorAllows() {
        return mirror.group().filter(access::allowsAnonymous).isPresent();
    }
}

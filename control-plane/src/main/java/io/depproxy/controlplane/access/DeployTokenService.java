package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.DeployToken;
import io.depproxy.controlplane.domain.DeployTokenRepository;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Group deploy tokens ({@code read_registry}): pull from the group and its subgroups as {@code deploy-token-<id>}.
 * Maintainers manage them. The raw token is returned once, at creation; only its digest is stored. Deleting a token
 * revokes it: registry tokens issued for it stop working at once.
 */
@ApplicationScoped
public class DeployTokenService {
    public static final Set<String> SCOPES = Set.of(TokenScopes.READ_REGISTRY);

    @Inject
    GroupPermissions permissions;
    @Inject
    DeployTokenRepository tokens;

    /** A token and, only right after its creation, its raw value. */
    public record Created(DeployToken token, String rawToken) {
    }

    @Transactional
    public Created create(ApiCaller caller, String groupId, String name, List<String> scopes, Instant expiresAt) {
        NewTokenRules.requirePresent(name, scopes);
        Group group = permissions.require(caller, groupId, GroupMember.MAINTAINER);
        Set<String> granted = NewTokenRules.granted(name, scopes, SCOPES, "read_registry", expiresAt);
        return create(group.getId(), name.trim(), granted, expiresAt);
    }

    /** A token for the group, once the caller's right to it and the token's rules were checked. */
    private Created create(long groupId, String name, Set<String> scopes, Instant expiresAt) {
        String raw = TokenDigest.generate("gldt-");
        DeployToken token = DeployToken.create(groupId, name, "pending-" + UUID.randomUUID(), TokenDigest.of(raw),
                scopes, expiresAt);
        tokens.persistAndFlush(token);
        token.setUsername("deploy-token-" + token.getId());
        return new Created(token, raw);
    }

    public Page<DeployToken> list(ApiCaller caller, String groupId, PageRequest page) {
        Group group = permissions.require(caller, groupId, GroupMember.MAINTAINER);
        return tokens.pageOfGroup(group.getId(), page);
    }

    public DeployToken get(ApiCaller caller, String groupId, long tokenId) {
        Group group = permissions.require(caller, groupId, GroupMember.MAINTAINER);
        return tokens.findInGroup(group.getId(), tokenId).orElseThrow(() -> ApiException.notFound("Deploy Token"));
    }

    @Transactional
    public void revoke(ApiCaller caller, String groupId, long tokenId) {
        Group group = permissions.require(caller, groupId, GroupMember.MAINTAINER);
        tokens.findInGroup(group.getId(), tokenId).orElseThrow(() -> ApiException.notFound("Deploy Token"))
                .setRevoked(true);
    }

}

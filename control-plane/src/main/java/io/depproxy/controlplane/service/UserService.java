package io.depproxy.controlplane.service;

import io.depproxy.controlplane.auth.TokenDigest;
import io.depproxy.controlplane.domain.DeployToken;
import io.depproxy.controlplane.domain.DeployTokenRepository;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupMemberRepository;
import io.depproxy.controlplane.domain.PersonalAccessToken;
import io.depproxy.controlplane.domain.PersonalAccessTokenRepository;
import io.depproxy.controlplane.domain.User;
import io.depproxy.controlplane.domain.UserRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Users, their tokens and memberships. Raw tokens are returned once, at creation, and never stored. */
@ApplicationScoped
public class UserService {
    @Inject
    UserRepository users;
    @Inject
    PersonalAccessTokenRepository personalTokens;
    @Inject
    GroupMemberRepository members;
    @Inject
    DeployTokenRepository deployTokens;

    /** A token as shown once at creation. */
    public record CreatedToken(long id, String username, String token) {
    }

    @Transactional
    public User createUser(String username, String name, String email, boolean admin) {
        if (users.findByUsername(username).isPresent()) {
            throw ApiException.badRequest("username has already been taken");
        }
        User user = User.create(username, name, email, admin);
        users.persist(user);
        return user;
    }

    @Transactional
    public CreatedToken createPersonalAccessToken(long userId, String name, Set<String> scopes, Instant expiresAt) {
        User user = users.findByIdOptional(userId).orElseThrow(() -> ApiException.notFound("User"));
        String raw = TokenDigest.generate("glpat-");
        PersonalAccessToken token = PersonalAccessToken.create(userId, name, TokenDigest.of(raw), scopes, expiresAt);
        personalTokens.persist(token);
        return new CreatedToken(token.getId(), user.getUsername(), raw);
    }

    @Transactional
    public void revokePersonalAccessToken(long tokenId) {
        personalTokens.findByIdOptional(tokenId).orElseThrow(() -> ApiException.notFound("Token")).setRevoked(true);
    }

    @Transactional
    public GroupMember addMember(long groupId, long userId, int accessLevel) {
        GroupMember member = members.find(groupId, userId).orElse(null);
        if (member == null) {
            member = GroupMember.create(groupId, userId, accessLevel);
            members.persist(member);
        } else {
            member.setAccessLevel(accessLevel);
        }
        return member;
    }

    /** A group deploy token; its username is GitLab's {@code gitlab+deploy-token-<id>}. */
    @Transactional
    public CreatedToken createDeployToken(long groupId, String name, Set<String> scopes, Instant expiresAt) {
        String raw = TokenDigest.generate("gldt-");
        DeployToken token = DeployToken.create(groupId, name, "pending-" + UUID.randomUUID(), TokenDigest.of(raw),
                scopes, expiresAt);
        deployTokens.persistAndFlush(token);
        String username = "gitlab+deploy-token-" + token.getId();
        deployTokens.update("username = ?1 where id = ?2", username, token.getId());
        return new CreatedToken(token.getId(), username, raw);
    }
}

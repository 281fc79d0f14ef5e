package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupMemberRepository;
import io.depproxy.controlplane.domain.GroupMemberRepository.Membership;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.User;
import io.depproxy.controlplane.domain.UserRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Set;

/**
 * A group's direct members with GitLab access levels (guest 10 … owner 50); membership also grants access to every
 * subgroup. Any member may list; owners add and remove.
 */
@ApplicationScoped
public class GroupMemberService {
    public static final Set<Integer> ACCESS_LEVELS = Set.of(GroupMember.GUEST, GroupMember.REPORTER,
            GroupMember.DEVELOPER, GroupMember.MAINTAINER, GroupMember.OWNER);

    @Inject
    GroupPermissions permissions;
    @Inject
    GroupMemberRepository members;
    @Inject
    UserRepository users;

    public Page<Membership> list(ApiCaller caller, String groupId, PageRequest page) {
        Group group = permissions.require(caller, groupId, GroupMember.GUEST);
        return members.pageOfGroup(group.getId(), page);
    }

    public Membership get(ApiCaller caller, String groupId, long userId) {
        Group group = permissions.require(caller, groupId, GroupMember.GUEST);
        GroupMember member = members.find(group.getId(), userId).orElseThrow(() -> ApiException.notFound("Member"));
        return new Membership(member, users.findById(userId));
    }

    /** 404 for an unknown user, 409 when already a member, 422 for a level that is not 10/20/30/40/50. */
    @Transactional
    public Membership add(ApiCaller caller, String groupId, Long userId, Integer accessLevel) {
        if (userId == null) {
            throw ApiException.missing("user_id");
        }
        if (accessLevel == null) {
            throw ApiException.missing("access_level");
        }
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        if (!ACCESS_LEVELS.contains(accessLevel)) {
            throw ApiException.invalid("access_level does not have a valid value");
        }
        User user = users.findByIdOptional(userId).orElseThrow(() -> ApiException.notFound("User"));
        if (members.find(group.getId(), userId).isPresent()) {
            throw ApiException.conflict("Member already exists");
        }
        GroupMember member = GroupMember.create(group.getId(), userId, accessLevel);
        members.persistAndFlush(member);
        return new Membership(member, user);
    }

    @Transactional
    public void remove(ApiCaller caller, String groupId, long userId) {
        Group group = permissions.require(caller, groupId, GroupMember.OWNER);
        GroupMember member = members.find(group.getId(), userId).orElseThrow(() -> ApiException.notFound("Member"));
        members.delete(member);
    }
}

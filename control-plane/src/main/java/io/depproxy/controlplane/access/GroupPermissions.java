package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupMemberRepository;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * Admin API access to groups, GitLab-style: administrators may do anything; other users act with their highest
 * access level over the group and its ancestors. No level at all → 404 (the group's existence is not revealed);
 * too low a level → 403.
 */
@ApplicationScoped
public class GroupPermissions {
    private static final Pattern NUMERIC = Pattern.compile("[0-9]{1,18}");

    @Inject
    GroupRepository groups;
    @Inject
    GroupMemberRepository members;

    /** {@code :id}: a numeric id or a (decoded) full path; 404 when unknown. */
    public Group find(String idOrPath) {
        if (idOrPath != null && NUMERIC.matcher(idOrPath).matches()) {
            return groups.findByIdOptional(Long.parseLong(idOrPath)).orElseThrow(() -> ApiException.notFound("Group"));
        }
        return groups.findByFullPath(idOrPath == null ? "" : idOrPath).orElseThrow(() -> ApiException.notFound("Group"));
    }

    /** The group {@code idOrPath} if the caller has at least {@code minimumLevel} on it (or is an admin). */
    public Group require(ApiCaller caller, String idOrPath, int minimumLevel) {
        Group group = find(idOrPath);
        require(caller, group, minimumLevel, "Group");
        return group;
    }

    /** 404 {@code what} when the caller cannot see {@code group}, 403 when the level is too low. */
    public void require(ApiCaller caller, Group group, int minimumLevel, String what) {
        if (caller.admin()) {
            return;
        }
        int level = members.maxAccessLevel(caller.userId(), groups.selfAndAncestorIds(group.getId()));
        if (level < GroupMember.GUEST) {
            throw ApiException.notFound(what);
        }
        if (level < minimumLevel) {
            throw ApiException.forbidden();
        }
    }

    /** Whether the caller has at least {@code minimumLevel} on {@code group} (an administrator always has). */
    public boolean has(ApiCaller caller, Group group, int minimumLevel) {
        return caller.admin()
                || members.maxAccessLevel(caller.userId(), groups.selfAndAncestorIds(group.getId())) >= minimumLevel;
    }

    public void requireAdmin(ApiCaller caller) {
        if (!caller.admin()) {
            throw ApiException.forbidden();
        }
    }
}

package io.depproxy.controlplane.access;

import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import io.depproxy.controlplane.domain.ImageTtlPolicyRepository;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.lifecycle.CachePurgeService;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.regex.Pattern;

/**
 * Groups: top-level groups are created by administrators, subgroups by maintainers of the parent; owners rename and
 * delete. A new group has the proxy enabled. Deleting a group deletes its subgroups, memberships and tokens at once;
 * its cached objects go through the deletion workers.
 */
@ApplicationScoped
public class GroupService {
    private static final Pattern PATH = Pattern.compile("[a-zA-Z0-9_.-]{1,255}");

    @Inject
    GroupRepository groups;
    @Inject
    GroupSettingRepository settings;
    @Inject
    ImageTtlPolicyRepository ttlPolicies;
    @Inject
    GroupPermissions permissions;
    @Inject
    CachePurgeService purge;
    @Inject
    CleanupWorkers workers;

    @Transactional
    public Group create(ApiCaller caller, String name, String path, Long parentId) {
        validateName(name);
        validatePath(path);
        String fullPath = path;
        if (parentId == null) {
            permissions.requireAdmin(caller);
        } else {
            Group parent = groups.findByIdOptional(parentId).orElseThrow(() -> ApiException.notFound("Parent Group"));
            permissions.require(caller, parent, GroupMember.MAINTAINER, "Parent Group");
            fullPath = parent.getFullPath() + "/" + path;
        }
        if (groups.findByFullPath(fullPath).isPresent()) {
            throw ApiException.conflict("path has already been taken");
        }
        Group group = new Group();
        group.setName(name.trim());
        group.setPath(path);
        group.setParentId(parentId);
        group.setFullPath(fullPath);
        try {
            groups.persistAndFlush(group);
        } catch (PersistenceException e) {
            throw ApiException.conflict("path has already been taken");
        }
        settings.persist(GroupSetting.enabledFor(group.getId()));
        ttlPolicies.persist(ImageTtlPolicy.defaultsFor(group.getId()));
        return group;
    }

    /** Administrators see every group; others the groups they are members of and their subgroups. */
    public Page<Group> list(ApiCaller caller, String search, PageRequest page) {
        String term = search == null ? "" : search.trim();
        return caller.admin() ? groups.pageAll(term, page) : groups.pageVisibleTo(caller.userId(), term, page);
    }

    /** The direct subgroups of a group the caller can see (whoever sees a group sees its subgroups). */
    public Page<Group> subgroups(ApiCaller caller, String idOrPath, PageRequest page) {
        return groups.pageChildren(permissions.require(caller, idOrPath, GroupMember.GUEST).getId(), page);
    }

    /** Renames a group (owner): a new path moves every subgroup's full path along. Null leaves a value as it is. */
    @Transactional
    public Group update(ApiCaller caller, String idOrPath, String name, String path) {
        Group group = permissions.require(caller, idOrPath, GroupMember.OWNER);
        if (name != null) {
            validateName(name);
            group.setName(name.trim());
        }
        if (path != null && !path.equals(group.getPath())) {
            validatePath(path);
            String oldFullPath = group.getFullPath();
            String newFullPath = oldFullPath.substring(0, oldFullPath.length() - group.getPath().length()) + path;
            groups.findByFullPath(newFullPath).filter(other -> !other.getId().equals(group.getId()))
                    .ifPresent(other -> {
                        throw ApiException.conflict("path has already been taken");
                    });
            group.setPath(path);
            group.setFullPath(newFullPath);
            groups.flush();
            groups.replaceDescendantsFullPathPrefix(group.getId(), oldFullPath, newFullPath);
        }
        return group;
    }

    /** Deletes the group and its subgroups (owner); their cache records become pending_destruction. */
    public void delete(ApiCaller caller, String idOrPath) {
        QuarkusTransaction.requiringNew().run(() -> {
            Group group = permissions.require(caller, idOrPath, GroupMember.OWNER);
            purge.markSubtree(group.getId());
            groups.delete("id", group.getId());
        });
        workers.kick();
    }

    private static void validateName(String name) {
        if (name == null) {
            throw ApiException.missing("name");
        }
        if (name.isBlank() || name.length() > 255) {
            throw ApiException.invalid("name is invalid");
        }
    }

    private static void validatePath(String path) {
        if (path == null) {
            throw ApiException.missing("path");
        }
        if (!PATH.matcher(path).matches() || path.equals(".") || path.equals("..")) {
            throw ApiException.invalid("path is invalid");
        }
    }
}

package io.depproxy.controlplane.service;

import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import io.depproxy.controlplane.domain.ImageTtlPolicyRepository;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.regex.Pattern;

/** Groups and their dependency proxy settings. A new group has the proxy enabled. */
@ApplicationScoped
public class GroupService {
    private static final Pattern PATH = Pattern.compile("[a-zA-Z0-9_.-]{1,255}");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]{1,18}");

    @Inject
    GroupRepository groups;
    @Inject
    GroupSettingRepository settings;
    @Inject
    ImageTtlPolicyRepository ttlPolicies;

    @Transactional
    public Group create(String name, String path, Long parentId) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiException.badRequest("name is missing");
        }
        if (path == null || !PATH.matcher(path).matches() || path.equals(".") || path.equals("..")) {
            throw ApiException.badRequest("path is invalid");
        }
        String fullPath = path;
        if (parentId != null) {
            Group parent = groups.findByIdOptional(parentId).orElseThrow(() -> ApiException.notFound("Parent Group"));
            fullPath = parent.getFullPath() + "/" + path;
        }
        if (groups.findByFullPath(fullPath).isPresent()) {
            throw ApiException.badRequest("path has already been taken");
        }
        Group group = new Group();
        group.setName(name.trim());
        group.setPath(path);
        group.setParentId(parentId);
        group.setFullPath(fullPath);
        try {
            groups.persistAndFlush(group);
        } catch (PersistenceException e) {
            throw ApiException.badRequest("path has already been taken");
        }
        settings.persist(GroupSetting.enabledFor(group.getId()));
        ttlPolicies.persist(ImageTtlPolicy.defaultsFor(group.getId()));
        return group;
    }

    /** {@code :id} of the admin API: a numeric id or a (decoded) full path. */
    public Group find(String idOrPath) {
        if (idOrPath != null && NUMERIC.matcher(idOrPath).matches()) {
            return groups.findByIdOptional(Long.parseLong(idOrPath)).orElseThrow(() -> ApiException.notFound("Group"));
        }
        return groups.findByFullPath(idOrPath == null ? "" : idOrPath).orElseThrow(() -> ApiException.notFound("Group"));
    }

    /** Updates the dependency proxy settings; null leaves a value as it is. */
    @Transactional
    public GroupSetting updateSettings(long groupId, Boolean enabled, Integer manifestRevalidateAfter) {
        GroupSetting setting = settings.findByGroupId(groupId).orElseGet(() -> {
            GroupSetting created = GroupSetting.enabledFor(groupId);
            settings.persist(created);
            return created;
        });
        if (enabled != null) {
            setting.setEnabled(enabled);
        }
        if (manifestRevalidateAfter != null) {
            if (manifestRevalidateAfter < 0) {
                throw ApiException.badRequest("manifest_revalidate_after must not be negative");
            }
            setting.setManifestRevalidateAfter(manifestRevalidateAfter);
        }
        return setting;
    }
}

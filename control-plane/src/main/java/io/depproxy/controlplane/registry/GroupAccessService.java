package io.depproxy.controlplane.registry;

import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.upstream.UpstreamCredentialCipher;
import io.depproxy.controlplane.upstream.GroupUpstreamService;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupMemberRepository;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.GroupSettingRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamCredentials;
import io.quarkus.logging.Log;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.depproxy.controlplane.config.HotPathConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Whether a group's dependency proxy serves a request. Unknown groups, groups the caller may not read and groups
 * with the proxy disabled all answer 404 NAME_UNKNOWN, as GitLab does (existence is not revealed).
 */
@ApplicationScoped
public class GroupAccessService {
    private static final int MAX_DECISIONS = 10_000;

    @Inject
    GroupRepository groups;
    @Inject
    GroupSettingRepository settings;
    @Inject
    GroupMemberRepository members;
    @Inject
    UpstreamCredentialCipher cipher;
    @Inject
    HotPathConfig hotPath;
    @Inject
    GroupUpstreamService groupUpstreams;

    private record Decision(RegistryPrincipal principal, String groupPath) {
    }

    private ShortLivedCache<Decision, PullTarget> decisions;
    private ShortLivedCache<String, Boolean> anonymousGroups;
    private ShortLivedCache<String, PullTarget> uploadTargets;

    @PostConstruct
    void createCache() {
        decisions = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_DECISIONS);
        anonymousGroups = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_DECISIONS);
        uploadTargets = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_DECISIONS);
    }

    /**
     * For a client pull: the caller must be an admin, a guest+ member, or a deploy token of the group or above. An
     * allowed pull is remembered for at most {@code DP_DECISION_CACHE_TTL}: a removed member, a deleted group or a
     * disabled proxy stop working within that bound; a refusal is never remembered.
     */
    public PullTarget pullTarget(RegistryPrincipal principal, String groupPath) {
        Decision key = new Decision(principal, groupPath);
        Optional<PullTarget> remembered = decisions.get(key);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        PullTarget target = decide(principal, groupPath);
        decisions.put(key, target);
        return target;
    }

    /**
     * An anonymous caller that a group does not let in (or an unknown group) is asked to log in, 401 with the token
     * challenge, so that a client without credentials learns it needs some; a logged-in one is told 404.
     */
    private PullTarget decide(RegistryPrincipal principal, String groupPath) {
        Group group = groups.findByFullPath(groupPath).orElseThrow(() -> refused(principal, groupPath));
        if (!canPull(principal, group)) {
            throw refused(principal, groupPath);
        }
        return enabledTarget(group);
    }

    /**
     * Whether the group lets pulls without a login through ({@code anonymous_pull}): asked by every unauthenticated
     * {@code GET /v2/} on a mirror and every anonymous token request, so both answers are remembered for at most
     * {@code DP_DECISION_CACHE_TTL}, as other decisions are.
     */
    public boolean allowsAnonymous(String groupPath) {
        return anonymousGroups.get(groupPath, path -> Optional.of(groups.findByFullPath(path)
                .map(group -> anonymousPull(group.getId())).orElse(false))).orElseThrow();
    }

    private boolean anonymousPull(long groupId) {
        return settings.findByGroupId(groupId).filter(GroupSetting::isAnonymousPull).isPresent();
    }

    /**
     * For the accelerator's internal upload calls (already authenticated by the internal JWT): two per stored object,
     * so a group's target is remembered for at most {@code DP_DECISION_CACHE_TTL}, as pull decisions are; an unknown
     * or disabled group is never remembered.
     */
    public PullTarget uploadTarget(String groupPath) {
        return uploadTargets.get(groupPath, path -> Optional.of(
                enabledTarget(groups.findByFullPath(path).orElseThrow(() -> unknown(path))))).orElseThrow();
    }

    boolean canPull(RegistryPrincipal principal, Group group) {
        if (principal.admin()) {
            return true;
        }
        if (principal.isAnonymous()) {
            return anonymousPull(group.getId());
        }
        List<Long> chain = groups.selfAndAncestorIds(group.getId());
        if (principal.kind() == RegistryPrincipal.Kind.DEPLOY_TOKEN) {
            return chain.contains(principal.deployTokenGroupId());
        }
        return members.maxAccessLevel(principal.userId(), chain) >= GroupMember.GUEST;
    }

    private PullTarget enabledTarget(Group group) {
        GroupSetting setting = settings.findByGroupId(group.getId()).orElse(null);
        if (setting != null && !setting.isEnabled()) {
            throw RegistryException.nameUnknown("the dependency proxy is disabled for group " + group.getFullPath());
        }
        int revalidateAfter = setting == null ? 0 : setting.getManifestRevalidateAfter();
        return new PullTarget(group.getId(), group.getFullPath(), revalidateAfter,
                groupUpstreams.forPull(group.getId(), upstreamCredentials(setting)));
    }

    /**
     * The group's settings credentials (for the default upstream); ones that cannot be decrypted (another
     * DP_ENCRYPTION_KEY) are skipped.
     */
    private UpstreamCredentials upstreamCredentials(GroupSetting setting) {
        if (setting == null || setting.getIdentity() == null || setting.getEncryptedSecret() == null) {
            return null;
        }
        try {
            return new UpstreamCredentials(setting.getIdentity(),
                    cipher.decrypt(setting.getGroupId(), setting.getEncryptedSecret()));
        } catch (IllegalArgumentException e) {
            Log.errorf("group %d: %s; using the default upstream's own credentials", setting.getGroupId(),
                    e.getMessage());
            return null;
        }
    }

    private static RegistryException refused(RegistryPrincipal principal, String groupPath) {
        return principal.isAnonymous() ? RegistryException.unauthorized("authentication required") : unknown(groupPath);
    }

    private static RegistryException unknown(String groupPath) {
        return RegistryException.nameUnknown("group " + groupPath + " not found");
    }
}

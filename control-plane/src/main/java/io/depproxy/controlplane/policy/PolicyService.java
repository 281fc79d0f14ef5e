package io.depproxy.controlplane.policy;

import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupPullPolicy;
import io.depproxy.controlplane.domain.GroupPullPolicyRepository;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each group's pull policy (rules and signature requirement). A group without one of its own inherits its nearest
 * ancestor's; without any, {@link GroupPolicy#NONE}. The effective policy is what every pull asks for, so a replica
 * keeps it for the decision cache's lifetime ({@code DP_DECISION_CACHE_TTL}, at most 5 s): another replica's change
 * applies here within that time, this replica's own change at once.
 */
@ApplicationScoped
public class PolicyService {
    private static final int MAX_GROUPS_KEPT = 10_000;

    @Inject
    GroupRepository groups;
    @Inject
    GroupPullPolicyRepository policies;
    @Inject
    HotPathConfig hotPath;

    private ShortLivedCache<Long, GroupPolicy> effective;

    @PostConstruct
    void init() {
        effective = new ShortLivedCache<>(hotPath.boundedDecisionCacheTtl(), MAX_GROUPS_KEPT);
    }

    /** The policy that applies to the group's pulls: its own, else its nearest ancestor's, else none. */
    public GroupPolicy effective(long groupId) {
        return effective.get(groupId, id -> Optional.of(load(id))).orElseThrow();
    }

    private GroupPolicy load(long groupId) {
        List<Long> chain = groups.selfAndAncestorIds(groupId);
        Map<Long, GroupPullPolicy> own = policies.ofGroups(chain).stream()
                .collect(Collectors.toMap(GroupPullPolicy::getGroupId, Function.identity()));
        for (long id : chain) {
            GroupPullPolicy policy = own.get(id);
            if (policy != null) {
                String path = groups.findByIdOptional(id).map(g -> g.getFullPath()).orElse(null);
                return decode(policy, path);
            }
        }
        return GroupPolicy.NONE;
    }

    /**
     * The outermost of the group's ancestors (not the group itself) that has an own policy, read now rather than from
     * the cache: what decides who may write the group's policy ({@link PolicySettings}).
     */
    public Optional<Group> outermostAncestorWithPolicy(long groupId) {
        List<Long> chain = groups.selfAndAncestorIds(groupId);
        List<Long> ancestors = chain.subList(Math.min(1, chain.size()), chain.size());
        Set<Long> withPolicy = policies.ofGroups(ancestors).stream().map(GroupPullPolicy::getGroupId)
                .collect(Collectors.toSet());
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            if (withPolicy.contains(ancestors.get(i))) {
                return groups.findByIdOptional(ancestors.get(i));
            }
        }
        return Optional.empty();
    }

    /** The group's own policy, if it has one. */
    public Optional<GroupPolicy> own(long groupId, String groupPath) {
        return policies.findByIdOptional(groupId).map(policy -> decode(policy, groupPath));
    }

    /** Replaces the group's own policy (the caller has checked who may); this replica sees it at once. */
    public void replace(long groupId, List<PolicyRule> rules, SignatureRequirement signatures) {
        QuarkusTransaction.requiringNew().run(() -> {
            GroupPullPolicy policy = policies.findByIdOptional(groupId).orElseGet(() -> {
                GroupPullPolicy created = GroupPullPolicy.of(groupId);
                policies.persist(created);
                return created;
            });
            policy.setRules(PolicyCodec.rules(rules));
            policy.setSignatureMode(signatures.mode().apiName());
            policy.setSignatureKeys(PolicyCodec.keys(signatures.keys()));
        });
        forgetAll();
    }

    /** Removes the group's own policy: it inherits again. Whether it had one. */
    public boolean remove(long groupId) {
        boolean removed = QuarkusTransaction.requiringNew().call(() -> policies.deleteOfGroup(groupId));
        forgetAll();
        return removed;
    }

    /**
     * Subgroups inherit, so a change may concern any group this replica remembers. Called after the commit.
     */
    private void forgetAll() {
        effective.removeIf(id -> true);
    }

    private static GroupPolicy decode(GroupPullPolicy policy, String groupPath) {
        SignatureMode mode = SignatureMode.parse(policy.getSignatureMode()).orElseThrow(() ->
                new IllegalStateException("policy of group " + policy.getGroupId() + ": unknown signature mode "
                        + policy.getSignatureMode()));
        return new GroupPolicy(PolicyCodec.rules(policy.getRules()),
                new SignatureRequirement(mode, PolicyCodec.keys(policy.getSignatureKeys())), groupPath);
    }
}

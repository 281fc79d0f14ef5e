package io.depproxy.controlplane.policy;

import java.util.List;

/**
 * The policy that applies to a group's pulls: its ordered rules and its signature requirement, from the group
 * itself or its nearest ancestor that has one ({@code definedBy}: that group's full path; null for {@link #NONE}).
 * The first matching rule decides; when none matches, a list without any allow rule allows, and a list with one
 * denies (an allow list denies what it does not name).
 */
public record GroupPolicy(List<PolicyRule> rules, SignatureRequirement signatures, String definedBy) {
    /** No rules and no signature check: every pull is allowed. */
    public static final GroupPolicy NONE = new GroupPolicy(List.of(), SignatureRequirement.NONE, null);

    public GroupPolicy {
        rules = List.copyOf(rules);
        signatures = signatures == null ? SignatureRequirement.NONE : signatures;
    }

    /** Whether any rule applies at all (pulls of a group without rules skip the check). */
    public boolean hasRules() {
        return !rules.isEmpty();
    }

    /** Whether the rules contain an allow rule: then what no rule names is denied. */
    public boolean allowList() {
        return rules.stream().anyMatch(rule -> rule.action() == PolicyRule.Action.ALLOW);
    }

    /** What the rules say of a pull of {@code image} ({@code tag}: null when not by tag) from {@code upstream}. */
    public PolicyDecision decide(String upstream, String image, String tag) {
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            if (rule.matches(upstream, image, tag)) {
                return new PolicyDecision(rule.action() == PolicyRule.Action.ALLOW, i + 1, rule);
            }
        }
        return new PolicyDecision(!allowList(), 0, null);
    }
}

package io.depproxy.controlplane.policy;

/**
 * A policy's answer for one pull: {@code allowed}, and the rule that decided it ({@code ruleNumber} counts from 1) or
 * none (0, null): then the default decided (allowed without allow rules, denied with them).
 */
public record PolicyDecision(boolean allowed, int ruleNumber, PolicyRule rule) {

    /** Why, in words a client reads: {@code rule 2 (deny image "*" tag "latest")} or the default's reason. */
    public String reason() {
        if (rule != null) {
            return "rule " + ruleNumber + " (" + rule.describe() + ")";
        }
        return allowed ? "no rule matches and the policy has no allow rule"
                : "no rule matches and the policy has allow rules (an allow list denies what it does not name)";
    }
}

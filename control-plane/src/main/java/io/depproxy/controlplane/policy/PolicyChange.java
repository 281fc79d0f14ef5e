package io.depproxy.controlplane.policy;

import java.util.List;

/** A group's own policy as an owner sets it: the rules in order and the signature requirement. */
public record PolicyChange(List<PolicyRule> rules, SignatureRequirement signatures) {
    public PolicyChange {
        rules = List.copyOf(rules);
    }
}

package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.policy.GroupPolicy;
import io.depproxy.controlplane.policy.PolicyRule;
import io.depproxy.controlplane.policy.SigningKey;
import java.util.List;

/**
 * The pull policy that applies to a group: its own, or its nearest ancestor's ({@code inherited_from}: that group's
 * path; null when the group's own or when no group has one).
 */
public record PolicyView(
        @JsonProperty("rules") List<Rule> rules,
        @JsonProperty("signatures") Signatures signatures,
        @JsonProperty("inherited_from") String inheritedFrom) {

    public record Rule(
            @JsonProperty("action") String action,
            @JsonProperty("upstream") String upstream,
            @JsonProperty("image") String image,
            @JsonProperty("tag") String tag) {
        public static Rule of(PolicyRule rule) {
            return new Rule(rule.action().apiName(), rule.upstream().text(), rule.image().text(), rule.tagText());
        }
    }

    public record Signatures(
            @JsonProperty("mode") String mode,
            @JsonProperty("keys") List<Key> keys) {
    }

    public record Key(
            @JsonProperty("pem") String pem,
            @JsonProperty("algorithm") String algorithm,
            @JsonProperty("fingerprint") String fingerprint) {
        static Key of(SigningKey key) {
            return new Key(key.pem(), key.algorithm(), key.fingerprint());
        }
    }

    /** The view of {@code policy} as group {@code groupPath} sees it. */
    public static PolicyView of(GroupPolicy policy, String groupPath) {
        String inheritedFrom = policy.definedBy() == null || policy.definedBy().equals(groupPath)
                ? null : policy.definedBy();
        return new PolicyView(policy.rules().stream().map(Rule::of).toList(),
                new Signatures(policy.signatures().mode().apiName(),
                        policy.signatures().keys().stream().map(Key::of).toList()), inheritedFrom);
    }
}

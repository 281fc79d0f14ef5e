package io.depproxy.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule matching: globs, the first matching rule, the default with and without allow rules, tag patterns. */
class PolicyRuleTest {
    private static GroupPolicy policy(PolicyRule... rules) {
        return new GroupPolicy(List.of(rules), SignatureRequirement.NONE, "acme");
    }

    @Test
    void aStarMatchesAnyRunOfCharactersSlashesIncludedAndAQuestionMarkOne() {
        PolicyRule library = PolicyRule.of("allow", null, "library/*", null);
        assertThat(library.matches("docker.io", "library/nginx", "latest")).isTrue();
        assertThat(library.matches("docker.io", "library/a/b", null)).isTrue();
        assertThat(library.matches("docker.io", "bitnami/nginx", "latest")).isFalse();
        assertThat(library.matches("docker.io", "library", null)).isFalse();
        PolicyRule one = PolicyRule.of("deny", "*", "app?", null);
        assertThat(one.matches("ghcr.io", "app1", null)).isTrue();
        assertThat(one.matches("ghcr.io", "app12", null)).isFalse();
        // dots are characters, not regular-expression wildcards
        PolicyRule dotted = PolicyRule.of("deny", "ghcr.io", "x.y", null);
        assertThat(dotted.matches("ghcrxio", "x.y", null)).isFalse();
        assertThat(dotted.matches("ghcr.io", "xzy", null)).isFalse();
        assertThat(dotted.matches("GHCR.io", "x.y", null)).isTrue();
    }

    @Test
    void aTagPatternMatchesOnlyPullsOfAMatchingTag() {
        PolicyRule latest = PolicyRule.of("deny", null, "*", "latest");
        assertThat(latest.matches("docker.io", "library/nginx", "latest")).isTrue();
        assertThat(latest.matches("docker.io", "library/nginx", "1.25")).isFalse();
        // a pull by digest, a blob or a tag list has no tag
        assertThat(latest.matches("docker.io", "library/nginx", null)).isFalse();
        PolicyRule anyTag = PolicyRule.of("deny", null, "*", null);
        assertThat(anyTag.matches("docker.io", "library/nginx", null)).isTrue();
    }

    @Test
    void theFirstMatchingRuleDecidesAndItsNumberCountsFromOne() {
        GroupPolicy policy = policy(PolicyRule.of("allow", null, "library/*", null),
                PolicyRule.of("deny", null, "*", "latest"), PolicyRule.of("allow", null, "*", null));
        PolicyDecision nginx = policy.decide("docker.io", "library/nginx", "latest");
        assertThat(nginx.allowed()).isTrue();
        assertThat(nginx.ruleNumber()).isEqualTo(1);
        PolicyDecision tool = policy.decide("docker.io", "org/tool", "latest");
        assertThat(tool.allowed()).isFalse();
        assertThat(tool.ruleNumber()).isEqualTo(2);
        assertThat(tool.reason()).isEqualTo("rule 2 (deny image \"*\" tag \"latest\")");
        assertThat(policy.decide("docker.io", "org/tool", "1.0").ruleNumber()).isEqualTo(3);
    }

    @Test
    void withoutAMatchADenyListAllowsAndAnAllowListDenies() {
        GroupPolicy denyList = policy(PolicyRule.of("deny", null, "evil/*", null));
        assertThat(denyList.decide("docker.io", "library/nginx", "1").allowed()).isTrue();
        assertThat(denyList.decide("docker.io", "library/nginx", "1").rule()).isNull();
        GroupPolicy allowList = policy(PolicyRule.of("allow", null, "library/*", null),
                PolicyRule.of("deny", null, "evil/*", null));
        PolicyDecision other = allowList.decide("docker.io", "org/tool", "1");
        assertThat(other.allowed()).isFalse();
        assertThat(other.ruleNumber()).isZero();
        assertThat(other.reason()).contains("an allow list denies what it does not name");
        assertThat(GroupPolicy.NONE.decide("docker.io", "anything", null).allowed()).isTrue();
    }

    @Test
    void theUpstreamPatternDefaultsToEveryUpstream() {
        PolicyRule rule = PolicyRule.of("deny", "", "*", null);
        assertThat(rule.upstream().text()).isEqualTo("*");
        assertThat(rule.describe()).isEqualTo("deny image \"*\"");
        assertThat(PolicyRule.of("allow", "ghcr.io", "org/*", "v*").describe())
                .isEqualTo("allow upstream \"ghcr.io\" image \"org/*\" tag \"v*\"");
    }

    @Test
    void malformedRulesAreRefusedWithAMessage() {
        assertThatThrownBy(() -> PolicyRule.of("permit", null, "*", null))
                .hasMessage("action must be allow or deny, not \"permit\"");
        assertThatThrownBy(() -> PolicyRule.of(null, null, "*", null)).hasMessage("action must be allow or deny");
        assertThatThrownBy(() -> PolicyRule.of("allow", null, null, null)).hasMessageContaining("image is missing");
        assertThatThrownBy(() -> PolicyRule.of("allow", null, "library/[ab]*", null))
                .hasMessageStartingWith("image \"library/[ab]*\" is not a pattern");
        assertThatThrownBy(() -> PolicyRule.of("allow", null, "Library/*", null))
                .hasMessageStartingWith("image \"Library/*\" is not a pattern");
        assertThatThrownBy(() -> PolicyRule.of("allow", "ghcr io", "*", null))
                .hasMessageStartingWith("upstream \"ghcr io\" is not a pattern");
        assertThatThrownBy(() -> PolicyRule.of("allow", null, "*", "a/b")).hasMessageStartingWith("tag \"a/b\"");
        assertThatThrownBy(() -> PolicyRule.of("allow", null, "a".repeat(256), null))
                .hasMessage("image is longer than 255 characters");
    }
}

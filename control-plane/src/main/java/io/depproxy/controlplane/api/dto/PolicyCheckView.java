package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.policy.PolicyDecision;
import io.depproxy.controlplane.policy.PolicySettings;
import io.depproxy.controlplane.policy.PullPolicy;

/**
 * What a pull of an image would get from the group's pull policy: {@code decision} allow or deny, the rule that
 * decided ({@code index} counts from 1, as messages do) or null when no rule matched ({@code reason} then says which
 * default applied), the upstream the pull goes to with the image and tag as that upstream names them, and the
 * signature mode that applies ({@code off}, {@code warn}, {@code enforce}). {@code message}: what a refused client
 * reads.
 */
public record PolicyCheckView(
        @JsonProperty("reference") String reference,
        @JsonProperty("decision") String decision,
        @JsonProperty("rule") MatchedRule rule,
        @JsonProperty("reason") String reason,
        @JsonProperty("message") String message,
        @JsonProperty("upstream") String upstream,
        @JsonProperty("image") String image,
        @JsonProperty("tag") String tag,
        @JsonProperty("signature_mode") String signatureMode,
        @JsonProperty("policy_of") String policyOf) {

    public record MatchedRule(
            @JsonProperty("index") int index,
            @JsonProperty("action") String action,
            @JsonProperty("upstream") String upstream,
            @JsonProperty("image") String image,
            @JsonProperty("tag") String tag) {
    }

    public static PolicyCheckView of(PolicySettings.Checked checked) {
        PullPolicy.Verdict verdict = checked.verdict();
        PolicyDecision decision = verdict.decision();
        MatchedRule rule = decision.rule() == null ? null : new MatchedRule(decision.ruleNumber(),
                decision.rule().action().apiName(), decision.rule().upstream().text(), decision.rule().image().text(),
                decision.rule().tagText());
        return new PolicyCheckView(checked.reference(), decision.allowed() ? "allow" : "deny", rule, decision.reason(),
                verdict.policy().hasRules() ? verdict.message() : null, verdict.upstream(), verdict.upstreamImage(),
                verdict.tag(), verdict.policy().signatures().mode().apiName(), verdict.policy().definedBy());
    }
}

package io.depproxy.controlplane.policy;

import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.GroupUpstreams;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamChoice;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The pull policy on the registry routes, in one place: before any cache lookup or upstream request, a pull is
 * judged by its group's effective rules for each upstream it could go to ({@link UpstreamRouting#route}), with the
 * image as that upstream names it ({@code library/nginx} for {@code nginx} on Docker Hub) and the tag when it is
 * pulled by tag. Denied for every upstream: 403 DENIED naming the rule. Allowed for some: the pull goes on with only
 * those upstreams in the group's order, so a later one the rules deny never answers it.
 */
@ApplicationScoped
public class PullPolicy {
    @Inject
    PolicyService policies;
    @Inject
    UpstreamRouting routing;

    /**
     * The policy's answer for a pull of {@code image} ({@code tag}: null when not by tag): the decision for the
     * upstream the pull goes to first ({@code upstream}, {@code upstreamImage}: the name there), and the target with
     * the upstreams the rules deny left out (the same target when none is).
     */
    public record Verdict(PolicyDecision decision, String upstream, String upstreamImage, String tag,
                          GroupPolicy policy, PullTarget target) {
        public boolean allowed() {
            return decision.allowed();
        }

        /** {@code pull of library/nginx:latest from docker.io is denied by rule 2 (…) of the policy of group a}. */
        public String message() {
            return "pull of " + upstreamImage + (tag == null ? "" : ":" + tag) + " from " + upstream + " is "
                    + (allowed() ? "allowed" : "denied") + " by " + decision.reason() + " of the policy of group "
                    + policy.definedBy();
        }
    }

    /** 403 DENIED when the group's policy denies the request; else the target the pull goes on with. */
    public PullTarget enforce(RegistryRequest request, PullTarget target) {
        GroupPolicy policy = policies.effective(target.groupId());
        if (!policy.hasRules()) {
            return target;
        }
        Verdict verdict = judge(policy, request.image(), tagOf(request), target);
        if (!verdict.allowed()) {
            throw RegistryException.denied(verdict.message());
        }
        return verdict.target();
    }

    /** The verdict for a pull of {@code image} ({@code tag}: null when not by tag) through {@code target}. */
    public Verdict judge(String image, String tag, PullTarget target) {
        return judge(policies.effective(target.groupId()), image, tag, target);
    }

    private Verdict judge(GroupPolicy policy, String image, String tag, PullTarget target) {
        List<UpstreamRouting.Candidate> candidates = routing.route(image, target).candidates();
        if (candidates.isEmpty()) {
            return new Verdict(policy.decide("", image, tag), "", image, tag, policy, target);
        }
        Verdict first = null;
        List<UpstreamChoice> allowed = new ArrayList<>();
        for (UpstreamRouting.Candidate candidate : candidates) {
            PolicyDecision decision = policy.decide(candidate.endpoint().name(), candidate.name(), tag);
            if (decision.allowed()) {
                allowed.add(candidate.choice());
                if (first == null || !first.allowed()) {
                    first = new Verdict(decision, candidate.endpoint().name(), candidate.name(), tag, policy, target);
                }
            } else if (first == null) {
                first = new Verdict(decision, candidate.endpoint().name(), candidate.name(), tag, policy, target);
            }
        }
        if (first == null || !first.allowed() || allowed.size() == candidates.size()) {
            return first;
        }
        return new Verdict(first.decision(), first.upstream(), first.upstreamImage(), tag, policy,
                narrowed(target, allowed));
    }

    /** {@code target} pulling only from {@code allowed} (a by-order route; a by-name route has one candidate). */
    private static PullTarget narrowed(PullTarget target, List<UpstreamChoice> allowed) {
        GroupUpstreams upstreams = target.upstreams();
        return new PullTarget(target.groupId(), target.fullPath(), target.manifestRevalidateAfterSeconds(),
                new GroupUpstreams(allowed, upstreams.fallbackOnError(), upstreams.fallbackOnAuthError()));
    }

    /** The tag a request pulls: a manifest by tag; a digest, a blob, a tag list (and any other route) have none. */
    static String tagOf(RegistryRequest request) {
        return request.kind() == RegistryRequest.Kind.MANIFEST && !request.byDigest() ? request.reference() : null;
    }
}

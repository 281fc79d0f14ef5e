package io.depproxy.controlplane.signature;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.cache.ManifestSignatureCheck;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.policy.PolicyService;
import io.depproxy.controlplane.policy.SignatureMode;
import io.depproxy.controlplane.policy.SignatureRequirement;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.PullTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The group's signature requirement applied to a manifest answer. {@code off}: nothing is looked up.
 * {@code enforce}: a manifest without a valid signature by one of the group's keys is refused with 403 DENIED saying
 * what is missing. {@code warn}: it is served, and one line logged. Both count each check in
 * {@code dp_signature_checks_total{result}} (verified, unsigned, invalid, unavailable). cosign's own tags
 * ({@code sha256-<hex>.sig|.att|.sbom}) are served without a signature of their own.
 */
@ApplicationScoped
public class SignatureGate implements ManifestSignatureCheck {
    @Inject
    PolicyService policies;
    @Inject
    SignatureVerdicts verdicts;
    @Inject
    MeterRegistry registry;

    @Override
    public void check(RegistryRequest request, PullTarget target, String digest, String contentType,
                      Long upstreamId) {
        if (SignatureTags.isAttachment(request.reference())) {
            return;
        }
        SignatureRequirement required = policies.effective(target.groupId()).signatures();
        if (!required.checked()) {
            return;
        }
        Verdict verdict = Digests.isSha256(digest)
                ? verdicts.of(request, target, digest, contentType, upstreamId, required)
                : Verdict.unavailable("the upstream did not name the manifest's sha256 digest, so its signature "
                + "cannot be checked");
        registry.counter("dp_signature_checks_total", "result", verdict.outcome().label()).increment();
        if (verdict.verified()) {
            return;
        }
        String image = request.image() + (Digests.isSha256(digest) ? "@" + digest : ":" + request.reference());
        if (required.mode() == SignatureMode.WARN) {
            Log.warnf("signature check (warn) of group %s: %s served without a valid signature: %s",
                    target.fullPath(), image, verdict.reason());
            return;
        }
        throw RegistryException.denied("image " + image + " requires a valid signature by one of the group's keys: "
                + verdict.reason());
    }
}

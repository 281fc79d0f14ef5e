package io.depproxy.controlplane.signature;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.policy.SignatureRequirement;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.PullTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The verdict on one image digest for a group's key set: remembered when it was checked before (or when a verified
 * index listed it), else looked up ({@link SignatureLookup}: the {@code sha256-<hex>.sig} tag, then the cosign
 * signatures attached as referrers), verified ({@link CosignVerifier}) and remembered. When
 * an index verifies, the platform manifests it lists are remembered as verified too.
 */
@ApplicationScoped
public class SignatureVerdicts {
    @Inject
    SignatureResults results;
    @Inject
    SignatureLookup lookup;

    /** {@code contentType}: the manifest's, null when unknown (an index is then recognised by its body). */
    public Verdict of(RegistryRequest request, PullTarget target, String digest, String contentType,
                      Long upstreamId, SignatureRequirement required) {
        return of(request, target, digest, contentType, upstreamId, required, true);
    }

    /** {@code followSubject}: whether an attached artifact may be vouched for by its subject (one hop only). */
    private Verdict of(RegistryRequest request, PullTarget target, String digest, String contentType,
                       Long upstreamId, SignatureRequirement required, boolean followSubject) {
        String image = request.image();
        SignatureResults.Key key = new SignatureResults.Key(target.groupId(), image, digest, required.keySetId());
        Optional<Verdict> remembered = results.remembered(key);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        SignatureSource source;
        try {
            source = lookup.signatures(target, image, digest, upstreamId);
        } catch (SignatureUnavailable e) {
            return Verdict.unavailable(e.getMessage());
        }
        Verdict verdict = source.found()
                ? CosignVerifier.verify(digest, source.manifest(), source.blobs(), required.keys())
                : Verdict.unsigned("no signature found under tag " + SignatureTags.signatureTag(digest)
                + " nor as a referrer");
        if (!verdict.verified()) {
            verdict = byReferrers(request, target, digest, upstreamId, required).filter(found -> found.verified()
                    || !source.found()).orElse(verdict);
        }
        if (!verdict.verified() && followSubject && (contentType == null
                || MediaTypes.OCI_MANIFEST.equals(MediaTypes.stripParameters(contentType)))) {
            verdict = bySubject(request, target, digest, upstreamId, required).orElse(verdict);
        }
        results.remember(key, verdict);
        if (verdict.verified() && (contentType == null || isIndex(contentType))) {
            rememberChildren(target, image, digest, upstreamId, required);
        }
        return verdict;
    }

    /** The verdict of the cosign signatures attached to {@code digest} as referrers: the first that verifies. */
    private Optional<Verdict> byReferrers(RegistryRequest request, PullTarget target, String digest, Long upstreamId,
                                          SignatureRequirement required) {
        Optional<Verdict> first = Optional.empty();
        for (String referrer : lookup.signatureReferrers(request, target, digest)) {
            Optional<byte[]> manifest = lookup.manifest(target, request.image(), referrer, upstreamId);
            if (manifest.isEmpty()) {
                continue;
            }
            Verdict verdict = CosignVerifier.verify(digest, "in referrer " + referrer, manifest.get(),
                    lookup.payloads(target, request.image(), upstreamId), required.keys());
            if (verdict.verified()) {
                return Optional.of(verdict);
            }
            first = first.isPresent() ? first : Optional.of(verdict);
        }
        return first;
    }

    /** An attached artifact (not an image) whose subject is signed: verified, naming its subject. */
    private Optional<Verdict> bySubject(RegistryRequest request, PullTarget target, String digest, Long upstreamId,
                                        SignatureRequirement required) {
        Optional<String> subject = lookup.manifest(target, request.image(), digest, upstreamId)
                .flatMap(AttachedArtifact::subjectOf);
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        Verdict ofSubject = of(request, target, subject.get(), null, upstreamId, required, false);
        return ofSubject.verified()
                ? Optional.of(Verdict.verified("an artifact attached to the signed image " + subject.get()))
                : Optional.empty();
    }

    private void rememberChildren(PullTarget target, String image, String digest, Long upstreamId,
                                  SignatureRequirement required) {
        Optional<byte[]> body = lookup.manifest(target, image, digest, upstreamId);
        if (body.isEmpty()) {
            return;
        }
        Verdict listed = Verdict.verified("listed by the signed index " + digest);
        for (String child : IndexChildren.of(body.get())) {
            results.remember(new SignatureResults.Key(target.groupId(), image, child, required.keySetId()), listed);
        }
    }

    private static boolean isIndex(String contentType) {
        String type = MediaTypes.stripParameters(contentType);
        return MediaTypes.OCI_INDEX.equals(type) || MediaTypes.DOCKER_MANIFEST_LIST.equals(type);
    }
}

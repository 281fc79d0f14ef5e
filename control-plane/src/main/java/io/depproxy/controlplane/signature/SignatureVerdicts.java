package io.depproxy.controlplane.signature;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.identity.PullTarget;
import io.depproxy.controlplane.policy.SignatureRequirement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The verdict on one image digest for a group's key set: remembered when it was checked before (or when a verified
 * index listed it), else looked up ({@link SignatureLookup}), verified ({@link CosignVerifier}) and remembered. When
 * an index verifies, the platform manifests it lists are remembered as verified too.
 */
@ApplicationScoped
public class SignatureVerdicts {
    @Inject
    SignatureResults results;
    @Inject
    SignatureLookup lookup;

    /** {@code contentType}: the manifest's, null when unknown (an index is then recognised by its body). */
    public Verdict of(PullTarget target, String image, String digest, String contentType, Long upstreamId,
                      SignatureRequirement required) {
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
                : Verdict.unsigned("no signature found under tag " + SignatureTags.signatureTag(digest));
        results.remember(key, verdict);
        if (verdict.verified() && (contentType == null || isIndex(contentType))) {
            rememberChildren(target, image, digest, upstreamId, required);
        }
        return verdict;
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

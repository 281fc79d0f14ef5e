package io.depproxy.controlplane.signature;

import io.depproxy.contracts.Digests;
import java.util.regex.Pattern;

/**
 * The tags cosign attaches to an image in the image's own repository: {@code sha256-<hex>.sig} (signatures),
 * {@code .att} (attestations) and {@code .sbom}. These are served without a signature of their own: they are what a
 * signature check reads, and a client that verifies signatures itself fetches them before the image.
 */
public final class SignatureTags {
    private static final Pattern ATTACHMENT = Pattern.compile("sha256-[0-9a-f]{64}\\.(sig|att|sbom)");

    private SignatureTags() {
    }

    /** The tag cosign stores the signatures of {@code digest} (a sha256 digest) under. */
    public static String signatureTag(String digest) {
        return "sha256-" + Digests.hexOf(digest) + ".sig";
    }

    /** Whether {@code reference} is one of cosign's attachment tags (signature, attestation or SBOM). */
    public static boolean isAttachment(String reference) {
        return reference != null && ATTACHMENT.matcher(reference).matches();
    }
}

package io.depproxy.controlplane.signature;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.policy.SigningKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks an image digest against a cosign signature manifest (stored under its {@code sha256-<hex>.sig} tag, or
 * attached to it as an OCI 1.1 referrer), with no network of its own: each simple-signing layer's blob (read through
 * {@code payloads}) must hash to the layer's digest, be a cosign image signature naming {@code digest}, and carry a
 * signature that verifies with one of the keys. One such layer suffices. When none does, the verdict names the most
 * telling reason: a payload naming another digest, then a keyless signature (Fulcio/Rekor, not supported), then a
 * payload that could not be read or did not match its digest, then no key verifying.
 */
public final class CosignVerifier {
    /** The most bytes a signed payload may have: cosign's are a few hundred. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private CosignVerifier() {
    }

    /**
     * {@code signatureManifest}: the body under the signature tag; {@code payloads}: a layer digest's blob, empty when
     * it cannot be had.
     */
    public static Verdict verify(String digest, byte[] signatureManifest, Function<String, Optional<byte[]>> payloads,
                                 List<SigningKey> keys) {
        return verify(digest, "under tag " + SignatureTags.signatureTag(digest), signatureManifest, payloads, keys);
    }

    /** As {@link #verify(String, byte[], Function, List)}, the manifest found {@code where} (for the reasons). */
    public static Verdict verify(String digest, String where, byte[] signatureManifest,
                                 Function<String, Optional<byte[]>> payloads, List<SigningKey> keys) {
        List<SignatureLayer> layers;
        try {
            layers = SignatureLayer.of(signatureManifest);
        } catch (IllegalArgumentException e) {
            return Verdict.invalid("the manifest " + where + " is not a cosign signature manifest");
        }
        if (layers.isEmpty()) {
            return Verdict.unsigned("no cosign signature layer found " + where);
        }
        List<String> otherDigests = new ArrayList<>();
        boolean keyless = false;
        boolean unreadable = false;
        for (SignatureLayer layer : layers) {
            keyless |= layer.keyless();
            Optional<byte[]> payload = layer.size() > MAX_PAYLOAD_BYTES ? Optional.empty()
                    : payloads.apply(layer.digest());
            if (payload.isEmpty() || !Digests.sha256(payload.get()).equals(layer.digest())) {
                unreadable = true;
                continue;
            }
            SignedPayload claims;
            try {
                claims = SignedPayload.parse(payload.get());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!claims.signs(digest)) {
                otherDigests.add(claims.manifestDigest());
                continue;
            }
            Optional<SigningKey> key = signer(layer, payload.get(), keys);
            if (key.isPresent()) {
                return Verdict.verified("signed by " + key.get());
            }
        }
        return Verdict.invalid(failure(where, keys.size(), otherDigests, keyless, unreadable));
    }

    private static Optional<SigningKey> signer(SignatureLayer layer, byte[] payload, List<SigningKey> keys) {
        if (layer.signature() == null) {
            return Optional.empty();
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(layer.signature().trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return keys.stream().filter(key -> KeySignatures.verifies(key, payload, signature)).findFirst();
    }

    private static String failure(String where, int keyCount, List<String> otherDigests, boolean keyless,
                                  boolean unreadable) {
        String keysNamed = keyCount == 1 ? "the group's key" : "any of the group's " + keyCount + " keys";
        if (!otherDigests.isEmpty()) {
            return "the signature " + where + " signs another digest (its payload names "
                    + otherDigests.get(0) + ")";
        }
        if (keyless) {
            return "the signature " + where + " is keyless (a Fulcio certificate or Rekor bundle), which is "
                    + "not supported: sign with a key and add its public key to the group";
        }
        if (unreadable) {
            return "a signature exists " + where + " but its payload could not be read or does not match "
                    + "its digest";
        }
        return "a signature exists " + where + " but none verifies with " + keysNamed;
    }
}

package io.depproxy.controlplane.upstream;

/** Upstream secrets as the control plane stored them before {@code DP_ENCRYPTION_KEY}: keyed by the internal secret. */
public final class LegacySealing {
    private LegacySealing() {
    }

    public static String sealedUnderTheInternalSecret(long groupId, String plaintext, byte[] internalSecret) {
        String sealed = new UpstreamCredentialCipher(internalSecret, internalSecret).encrypt(groupId, plaintext);
        return UpstreamCredentialCipher.LEGACY + sealed.substring(UpstreamCredentialCipher.CURRENT_PREFIX.length());
    }
}

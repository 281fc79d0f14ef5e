package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.error.ApiException;

/** The rule every pair of upstream credentials follows: given together, both set, or both empty to clear them. */
public final class Credentials {
    private static final int MAX_IDENTITY = 255;
    private static final int MAX_SECRET = 4096;

    private Credentials() {
    }

    /** {@code identityField}: the name the API gives the identity ({@code username} or {@code identity}). */
    public static void validate(String identity, String secret, String identityField) {
        if ((identity == null) != (secret == null)) {
            throw ApiException.invalid(identityField + " and secret must be given together");
        }
        if (identity != null && identity.isBlank() != secret.isEmpty()) {
            throw ApiException.invalid(identityField + " and secret must both be set, or both be empty to clear them");
        }
        if (identity != null && (identity.length() > MAX_IDENTITY || secret.length() > MAX_SECRET)) {
            throw ApiException.invalid(identityField + " or secret is too long");
        }
    }
}

package io.depproxy.contracts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as the registry API writes them: {@code sha256:<64 lowercase hex>}. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern ANY_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private Digests() {
    }

    /** True for a digest we can verify (sha256). */
    public static boolean isSha256(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** True for anything that has the OCI digest grammar, whatever the algorithm. */
    public static boolean looksLikeDigest(String reference) {
        return reference != null && ANY_ALGORITHM.matcher(reference).matches();
    }

    public static String hexOf(String sha256Digest) {
        if (!isSha256(sha256Digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + sha256Digest);
        }
        return sha256Digest.substring("sha256:".length());
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

package io.depproxy.controlplane.storage;

import io.depproxy.contracts.Digests;
import java.util.regex.Pattern;

/** Object key layout: temporary uploads, then content-addressed final objects per group. */
public final class ObjectKeys {
    /** {@code file.remote_id} grammar: never a path. */
    public static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");
    private static final Pattern BLOB_KEY = Pattern.compile("dependency_proxy/[1-9][0-9]{0,18}/blobs/sha256/[0-9a-f]{64}");
    private static final Pattern MANIFEST_KEY =
            Pattern.compile("dependency_proxy/[1-9][0-9]{0,18}/manifests/sha256/[0-9a-f]{64}");

    private ObjectKeys() {
    }

    /** Where temporary uploads live until finalize copies them (or the sweeper deletes them). */
    public static final String TEMPORARY_PREFIX = "tmp/uploads/";

    public static String temporaryUpload(String id) {
        if (!UPLOAD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid upload id");
        }
        return TEMPORARY_PREFIX + id;
    }

    public static String blob(long groupId, String digest) {
        return "dependency_proxy/" + groupId + "/blobs/sha256/" + Digests.hexOf(digest);
    }

    public static String manifest(long groupId, String digest) {
        return "dependency_proxy/" + groupId + "/manifests/sha256/" + Digests.hexOf(digest);
    }

    /** Whether {@code key} is exactly what {@link #blob} makes (a report names no other object). */
    public static boolean isBlob(String key) {
        return key != null && BLOB_KEY.matcher(key).matches();
    }

    /** Whether {@code key} is exactly what {@link #manifest} makes. */
    public static boolean isManifest(String key) {
        return key != null && MANIFEST_KEY.matcher(key).matches();
    }
}

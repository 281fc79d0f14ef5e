package io.depproxy.controlplane.storage;

import io.depproxy.contracts.Digests;
import java.util.regex.Pattern;

/** Object key layout: temporary uploads, then content-addressed final objects per group. */
public final class ObjectKeys {
    /** {@code file.remote_id} grammar: never a path. */
    public static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");

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
}

package io.depproxy.contracts.observability;

import java.util.regex.Pattern;

/**
 * The {@code route} of a request in logs and metrics, the same in both services: a fixed name per kind of route,
 * never the raw path, so that a label set stays small however many images and digests are pulled.
 */
public final class RouteTemplate {
    public static final String MANIFEST = "manifest";
    public static final String BLOB = "blob";
    public static final String TOKEN = "token";
    public static final String V2 = "v2";
    public static final String API = "api";
    public static final String INTERNAL = "internal";
    public static final String HEALTH = "health";
    public static final String METRICS = "metrics";
    public static final String OTHER = "other";

    private static final Pattern UPLOAD = Pattern.compile("^/v2/.+/upload(/authorize)?/?$");
    private static final Pattern BLOB_PATH = Pattern.compile("^/v2/.+/blobs/[^/]+/?$");
    private static final Pattern MANIFEST_PATH = Pattern.compile("^/v2/.+/manifests/[^/]+/?$");

    private RouteTemplate() {
    }

    /** @param path the request path, without its query string */
    public static String of(String path) {
        if (path == null || path.isEmpty()) {
            return OTHER;
        }
        if (path.equals("/v2") || path.startsWith("/v2/")) {
            return registry(path);
        }
        if (path.equals("/jwt/auth")) {
            return TOKEN;
        }
        if (path.startsWith("/api/")) {
            return API;
        }
        if (path.startsWith("/-/health")) {
            return HEALTH;
        }
        if (path.equals("/-/metrics")) {
            return METRICS;
        }
        return path.startsWith("/-/") ? INTERNAL : OTHER;
    }

    private static String registry(String path) {
        if (UPLOAD.matcher(path).matches()) {
            return INTERNAL;
        }
        if (BLOB_PATH.matcher(path).matches()) {
            return BLOB;
        }
        return MANIFEST_PATH.matcher(path).matches() ? MANIFEST : V2;
    }
}

package io.depproxy.controlplane.domain;

/** The two tables of cache records; the lifecycle treats them alike. */
public enum CacheTable {
    MANIFESTS("dependency_proxy_manifests", "manifest"),
    BLOBS("dependency_proxy_blobs", "blob");

    private final String table;
    private final String kind;

    CacheTable(String table, String kind) {
        this.table = table;
        this.kind = kind;
    }

    /** The SQL table name (a constant, safe to put into a statement). */
    public String table() {
        return table;
    }

    /** {@code manifest} or {@code blob}, for logs and metric tags. */
    public String kind() {
        return kind;
    }
}

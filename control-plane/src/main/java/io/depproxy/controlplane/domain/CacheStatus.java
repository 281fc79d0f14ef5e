package io.depproxy.controlplane.domain;

/** GitLab's {@code TtlExpirable} statuses, stored as a smallint. Only {@code DEFAULT} records are served. */
public enum CacheStatus {
    DEFAULT(0),
    PENDING_DESTRUCTION(1),
    PROCESSING(2),
    ERROR(3);

    private final short code;

    CacheStatus(int code) {
        this.code = (short) code;
    }

    public short code() {
        return code;
    }

    /** GitLab's name: {@code default}, {@code pending_destruction}, {@code processing}, {@code error}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CacheStatus of(short code) {
        for (CacheStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown cache status " + code);
    }
}

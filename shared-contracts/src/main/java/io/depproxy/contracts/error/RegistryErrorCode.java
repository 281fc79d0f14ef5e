package io.depproxy.contracts.error;

/** The distribution-spec error codes a registry client may see, with their HTTP status. */
public enum RegistryErrorCode {
    UNAUTHORIZED(401),
    DENIED(403),
    NAME_UNKNOWN(404),
    MANIFEST_UNKNOWN(404),
    BLOB_UNKNOWN(404),
    DIGEST_INVALID(400),
    NAME_INVALID(400),
    MANIFEST_INVALID(400),
    SIZE_INVALID(400),
    /** A tags/list {@code n} that is not a positive number in range. */
    PAGINATION_NUMBER_INVALID(400),
    UNSUPPORTED(405),
    TOOMANYREQUESTS(429),
    UNKNOWN(500),
    UNAVAILABLE(503);

    private final int status;

    RegistryErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code a registry client expects for an HTTP status we have no better code for. */
    public static RegistryErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> DENIED;
            case 404 -> NAME_UNKNOWN;
            case 400 -> NAME_INVALID;
            case 405 -> UNSUPPORTED;
            case 429 -> TOOMANYREQUESTS;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }
}

package io.depproxy.controlplane.error;

import io.depproxy.contracts.error.RegistryErrorCode;

/** A failure a registry client sees as {@code {"errors":[{code,message}]}} with the code's (or an explicit) status. */
public class RegistryException extends RuntimeException {
    private final RegistryErrorCode code;
    private final int status;

    public RegistryException(RegistryErrorCode code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public RegistryException(RegistryErrorCode code, String message) {
        this(code, code.status(), message);
    }

    public static RegistryException unauthorized(String message) {
        return new RegistryException(RegistryErrorCode.UNAUTHORIZED, message);
    }

    public static RegistryException denied(String message) {
        return new RegistryException(RegistryErrorCode.DENIED, message);
    }

    public static RegistryException nameUnknown(String message) {
        return new RegistryException(RegistryErrorCode.NAME_UNKNOWN, message);
    }

    public static RegistryException nameInvalid(String message) {
        return new RegistryException(RegistryErrorCode.NAME_INVALID, message);
    }

    public static RegistryException digestInvalid(String message) {
        return new RegistryException(RegistryErrorCode.DIGEST_INVALID, message);
    }

    public static RegistryException unavailable(String message) {
        return new RegistryException(RegistryErrorCode.UNAVAILABLE, message);
    }

    public RegistryErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }
}

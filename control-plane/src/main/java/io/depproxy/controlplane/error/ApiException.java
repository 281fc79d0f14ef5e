package io.depproxy.controlplane.error;

/**
 * An admin API failure, answered GitLab-style as {@code {"message": "<status> <text>"}}: 400 a parameter is missing
 * or malformed, 401 no valid token, 403 not allowed, 404 unknown (or not visible), 409 duplicate, 422 invalid value,
 * 429 a limit reached (try again later), 503 no room now.
 */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "401 Unauthorized");
    }

    public static ApiException forbidden() {
        return new ApiException(403, "403 Forbidden");
    }

    /** 403 with the reason, for a rule the caller should understand (who may change what). */
    public static ApiException forbidden(String reason) {
        return new ApiException(403, "403 Forbidden - " + reason);
    }

    public static ApiException insufficientScope() {
        return new ApiException(403, "403 Forbidden - insufficient_scope: the token needs the api or admin scope");
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "404 " + what + " Not Found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "400 Bad request - " + message);
    }

    public static ApiException missing(String parameter) {
        return badRequest(parameter + " is missing");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "409 Conflict - " + message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "422 Unprocessable Entity - " + message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, "429 Too Many Requests - " + message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "503 Service Unavailable - " + message);
    }

    public int status() {
        return status;
    }
}

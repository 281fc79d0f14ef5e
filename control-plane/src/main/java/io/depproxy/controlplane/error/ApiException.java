package io.depproxy.controlplane.error;

/** An admin API failure, answered GitLab-style as {@code {"message": "<status> <text>"}}. */
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

    public static ApiException notFound(String what) {
        return new ApiException(404, "404 " + what + " Not Found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "400 Bad request - " + message);
    }

    public int status() {
        return status;
    }
}

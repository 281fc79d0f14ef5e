package io.depproxy.controlplane.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Collection;
import java.util.Comparator;

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

    /**
     * 422 naming the first (by its place in the body) of a request's Bean Validation violations as the client wrote
     * it: {@code ttl must be between 1 and 3650}, {@code rules[0].image size must be between 0 and 255}.
     */
    public static ApiException invalid(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> new String[] {place(v.getPropertyPath()), v.getMessage()})
                .min(Comparator.<String[], String>comparing(v -> v[0]).thenComparing(v -> v[1]))
                .map(v -> invalid(v[0] + " " + v[1]))
                .orElseThrow(() -> new IllegalArgumentException("no violation"));
    }

    /**
     * Where in the request the violation is ({@code rules[0].image}): the path without the resource method and its
     * parameter that a bound body's violation starts with; {@code the body} when the body itself is refused.
     */
    private static String place(Path path) {
        String place = path.toString();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                int dot = place.indexOf('.');
                place = dot < 0 ? "" : place.substring(dot + 1);
            }
        }
        return place.isEmpty() ? "the body" : place;
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

package io.depproxy.contracts.observability;

import java.util.List;

/**
 * The {@code outcome} label of a call to an upstream registry, the same in both services: a fixed set, so that
 * "which registry fails, and how" is one query. A 429 is its own outcome (the registry's rate limit, not an error
 * of ours or its); 401 and 403 are credentials; 404 is an image the registry does not have.
 */
public final class UpstreamOutcome {
    /** 2xx (and 3xx answers that were not followed, such as 304). */
    public static final String OK = "ok";
    public static final String NOT_FOUND = "not_found";
    /** 401 or 403: the registry refused the credentials (or wants some). */
    public static final String UNAUTHORIZED = "unauthorized";
    /** 429: the registry's rate limit. */
    public static final String RATE_LIMITED = "rate_limited";
    /** Any other 4xx or 5xx. */
    public static final String HTTP_ERROR = "http_error";
    /** No answer: connection refused or reset, unknown host, TLS failure. */
    public static final String FAILED = "failed";
    /** No answer in time (connect, or the head of the answer). */
    public static final String TIMEOUT = "timeout";
    /** Never sent: the outbound destination policy refused the address. */
    public static final String REFUSED = "refused";

    /** Every value, for series registered before their first event. */
    public static final List<String> ALL = List.of(OK, NOT_FOUND, UNAUTHORIZED, RATE_LIMITED, HTTP_ERROR, FAILED,
            TIMEOUT, REFUSED);

    private UpstreamOutcome() {
    }

    /** The outcome of an answer with {@code status}. */
    public static String ofStatus(int status) {
        if (status < 400) {
            return OK;
        }
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 401, 403 -> UNAUTHORIZED;
            case 429 -> RATE_LIMITED;
            default -> HTTP_ERROR;
        };
    }
}

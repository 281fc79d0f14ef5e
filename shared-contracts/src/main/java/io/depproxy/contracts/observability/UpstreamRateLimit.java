package io.depproxy.contracts.observability;

import java.util.OptionalLong;

/**
 * The rate-limit headers an upstream registry may send, as Docker Hub does on manifest requests:
 * {@code ratelimit-limit: 100;w=21600} and {@code ratelimit-remaining: 76;w=21600} (the count, then its window in
 * seconds). Both services read them the same way and export the count as a gauge per upstream.
 */
public final class UpstreamRateLimit {
    public static final String LIMIT_HEADER = "ratelimit-limit";
    public static final String REMAINING_HEADER = "ratelimit-remaining";

    private UpstreamRateLimit() {
    }

    /** The count at the start of a header value ({@code 76;w=21600} → 76); empty when absent or not a count. */
    public static OptionalLong count(String headerValue) {
        if (headerValue == null) {
            return OptionalLong.empty();
        }
        String value = headerValue.strip();
        int end = 0;
        while (end < value.length() && end < 18 && Character.isDigit(value.charAt(end))) {
            end++;
        }
        if (end == 0 || end < value.length() && value.charAt(end) != ';' && value.charAt(end) != ','
                && !Character.isWhitespace(value.charAt(end))) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(value.substring(0, end)));
    }
}

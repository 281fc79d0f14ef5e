package io.depproxy.controlplane.api.dto;

import java.time.Instant;

/** Timestamps on the wire: ISO-8601 in UTC, or null. */
final class Times {
    private Times() {
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

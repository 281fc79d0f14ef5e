package io.depproxy.controlplane.web;

import io.depproxy.controlplane.domain.CacheStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write sizes, times, ratios and the states of cached objects. */
final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    static String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }

    /**
     * A cache record's state in a reader's words (the API keeps GitLab's names: {@code default} is a record being
     * served; {@code pending_destruction} and {@code processing} are the expiry or purge removing it).
     */
    static String status(CacheStatus status) {
        return switch (status) {
            case DEFAULT -> "cached";
            case PENDING_DESTRUCTION -> "to be deleted";
            case PROCESSING -> "being deleted";
            case ERROR -> "deletion failed";
        };
    }

    /** {@code part} of {@code whole} as a percentage, or a dash when there is nothing to divide. */
    static String percent(long part, long whole) {
        return whole <= 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }
}

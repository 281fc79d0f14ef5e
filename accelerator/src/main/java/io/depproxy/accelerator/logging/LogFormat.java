package io.depproxy.accelerator.logging;

import java.util.Locale;

/**
 * {@code DP_LOG_FORMAT}: {@code json} (one object per line for a log collector; the default in images, compose
 * and k8s) or {@code text} (short lines for a person's terminal; what {@code make run} sets).
 */
public enum LogFormat {
    JSON, TEXT;

    public static final String VARIABLE = "DP_LOG_FORMAT";

    /** @throws IllegalArgumentException for anything but json or text (the start-up check) */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return JSON;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " must be json or text, was " + value);
        }
    }

    /** What the console encoder uses: logging starts before the configuration is checked, so it never throws. */
    static LogFormat fromEnvironment() {
        try {
            return parse(System.getenv(VARIABLE));
        } catch (IllegalArgumentException e) {
            return JSON;
        }
    }
}

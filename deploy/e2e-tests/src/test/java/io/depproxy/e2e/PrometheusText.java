package io.depproxy.e2e;

import java.util.OptionalDouble;

/** Reads one series' value out of a {@code /-/metrics} answer (Prometheus text format), as a dashboard would. */
final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of {@code series} (name and labels exactly as exported), if the text has it. */
    static OptionalDouble find(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of {@code series}; fails, showing the text, when it is not there. */
    static double value(String metrics, String series) {
        return find(metrics, series).orElseThrow(() -> new AssertionError("no " + series + " in\n" + metrics));
    }
}

package io.depproxy.accelerator.http;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram of durations in seconds, with fixed buckets; safe to observe from any event loop. */
final class Histogram {
    /** From 5 ms (a loopback hit) to 2 min (an upstream that takes its time before the first byte). */
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private final String name;
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(String name, double[] bounds) {
        this.name = name;
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(Duration duration) {
        double seconds = duration.toNanos() / 1e9;
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(seconds);
    }

    long count() {
        return count.sum();
    }

    /** Buckets are stored per interval and written cumulatively, as the text format wants them. */
    void render(StringBuilder out) {
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{le=\"").append(format(bounds[i])).append("\"} ").append(cumulative)
                    .append('\n');
        }
        long total = Math.max(cumulative, count.sum());
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n')
                .append(name).append("_sum ").append(format(sum.sum())).append('\n')
                .append(name).append("_count ").append(total).append('\n');
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}

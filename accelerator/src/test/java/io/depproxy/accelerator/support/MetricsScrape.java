package io.depproxy.accelerator.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of {@code /-/metrics} in the Prometheus text format: each series' value and each metric's type. */
public record MetricsScrape(Map<String, Double> samples, Map<String, String> types) {

    public static MetricsScrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new MetricsScrape(samples, types);
    }

    /** The value of {@code series} ({@code name} or {@code name{label="value",…}}); fails when it is not there. */
    public double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in " + samples.keySet());
        }
        return value;
    }

    /** How much {@code series} moved since {@code earlier} (a series absent then counts from 0). */
    public double since(MetricsScrape earlier, String series) {
        return value(series) - earlier.samples.getOrDefault(series, 0.0);
    }
}

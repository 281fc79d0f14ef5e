package io.depproxy.manifests;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 512Mi}, {@code 10Gi}, {@code 1G}, {@code 250m}) as numbers. */
final class Quantity {

    private static final Pattern QUANTITY = Pattern.compile("([0-9.]+)([a-zA-Z]*)");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.valueOf(1_000L)),
            Map.entry("M", BigDecimal.valueOf(1_000_000L)),
            Map.entry("G", BigDecimal.valueOf(1_000_000_000L)),
            Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)));

    private Quantity() {
    }

    static BigDecimal parse(String quantity) {
        Matcher matcher = QUANTITY.matcher(quantity.strip());
        BigDecimal factor = matcher.matches() ? SUFFIXES.get(matcher.group(2)) : null;
        if (factor == null) {
            throw new IllegalArgumentException("not a Kubernetes quantity: " + quantity);
        }
        return new BigDecimal(matcher.group(1)).multiply(factor);
    }
}

package io.depproxy.accelerator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One counter per value of a single label, registered on first use and cached, so that counting a known value is a
 * map lookup: no tag list is built per event.
 */
final class CounterFamily {
    private final MeterRegistry registry;
    private final String name;
    private final String label;
    private final String description;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    CounterFamily(MeterRegistry registry, String name, String description, String label, String... knownValues) {
        this.registry = registry;
        this.name = name;
        this.label = label;
        this.description = description;
        for (String value : knownValues) {
            of(value);
        }
    }

    Counter of(String value) {
        Counter counter = counters.get(value);
        return counter != null ? counter : counters.computeIfAbsent(value, this::register);
    }

    private Counter register(String value) {
        return Counter.builder(name).description(description).tag(label, value).register(registry);
    }
}

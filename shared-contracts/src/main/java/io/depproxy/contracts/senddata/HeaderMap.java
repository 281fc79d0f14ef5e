package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Header name to values, names compared case-insensitively; values are always arrays on the wire. */
public final class HeaderMap {
    private static final HeaderMap EMPTY = new HeaderMap(Map.of());
    private final Map<String, List<String>> values;

    private HeaderMap(Map<String, List<String>> source) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        source.forEach((name, list) -> {
            if (name != null && list != null && !list.isEmpty()) {
                copy.merge(name, List.copyOf(list), HeaderMap::concat);
            }
        });
        this.values = Collections.unmodifiableMap(copy);
    }

    @JsonCreator
    public static HeaderMap of(Map<String, List<String>> values) {
        return values == null || values.isEmpty() ? EMPTY : new HeaderMap(values);
    }

    public static HeaderMap empty() {
        return EMPTY;
    }

    public static HeaderMap single(String name, String value) {
        return of(Map.of(name, List.of(value)));
    }

    public HeaderMap with(String name, String... newValues) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        copy.put(name, List.of(newValues));
        return new HeaderMap(copy);
    }

    /** This map without {@code name} (compared case-insensitively). */
    public HeaderMap without(String name) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        return of(copy);
    }

    /** The first value, or null. */
    public String first(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(0);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @JsonValue
    public Map<String, List<String>> asMap() {
        return values;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeaderMap that && normalized().equals(that.normalized());
    }

    @Override
    public int hashCode() {
        return normalized().hashCode();
    }

    private Map<String, List<String>> normalized() {
        Map<String, List<String>> lower = new TreeMap<>();
        values.forEach((name, list) -> lower.put(name.toLowerCase(Locale.ROOT), list));
        return lower;
    }

    @Override
    public String toString() {
        return "HeaderMap" + values.keySet();
    }
}

package io.depproxy.controlplane.domain;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Token scopes, stored comma-separated. */
public final class TokenScopes {
    public static final String API = "api";
    public static final String READ_REGISTRY = "read_registry";
    public static final String ADMIN = "admin";

    private TokenScopes() {
    }

    public static Set<String> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(stored.split("[,\\s]+")).filter(s -> !s.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static String format(Set<String> scopes) {
        return String.join(",", scopes);
    }
}

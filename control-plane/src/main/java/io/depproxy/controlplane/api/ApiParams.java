package io.depproxy.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.error.ApiException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request parameters as GitLab's API takes them: the query string merged with a JSON or form body ({@code name[]}
 * is {@code name}). A present but malformed value is 400; whether a value is acceptable is the services' call (422).
 */
public final class ApiParams {
    private static final Instant LATEST_INSTANT = LocalDate.of(10_000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

    private final Map<String, List<String>> values;

    private ApiParams(Map<String, List<String>> values) {
        this.values = values;
    }

    public static ApiParams of(UriInfo uri, HttpHeaders headers, String body) {
        return of(uri, headers.getMediaType(), body);
    }

    /** The query string merged with {@code body}, read as JSON when {@code type} says so or it looks like JSON. */
    public static ApiParams of(UriInfo uri, MediaType type, String body) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, list) -> values.computeIfAbsent(key(name), k -> new ArrayList<>())
                .addAll(list));
        if (body != null && !body.isBlank()) {
            if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || body.strip().startsWith("{")) {
                readJson(body, values);
            } else {
                readForm(body, values);
            }
        }
        return new ApiParams(values);
    }

    /** Only the query string (GET and DELETE). */
    public static ApiParams of(UriInfo uri) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, list) -> values.put(key(name), new ArrayList<>(list)));
        return new ApiParams(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> string(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    public String required(String name) {
        return string(name).orElseThrow(() -> ApiException.missing(name));
    }

    public Optional<Long> longValue(String name) {
        return string(name).filter(s -> !s.isBlank()).map(s -> {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + " is invalid");
            }
        });
    }

    public Optional<Integer> intValue(String name) {
        return longValue(name).map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw ApiException.badRequest(name + " is invalid");
            }
            return v.intValue();
        });
    }

    /** A whole number in {@code min..max}; outside it 422 naming the field and the bounds. */
    public Optional<Integer> intIn(String name, int min, int max) {
        return intValue(name).map(v -> {
            if (v < min || v > max) {
                throw ApiException.invalid(name + " must be between " + min + " and " + max);
            }
            return v;
        });
    }

    public Optional<Boolean> bool(String name) {
        return string(name).filter(s -> !s.isBlank()).map(s -> switch (s.trim().toLowerCase()) {
            case "true", "1", "yes", "t" -> true;
            case "false", "0", "no", "f" -> false;
            default -> throw ApiException.badRequest(name + " is invalid");
        });
    }

    /**
     * A date ({@code 2030-01-31}, the start of that day in UTC) or an ISO-8601 date-time with an offset, in years
     * 1970..9999 (what the database and every client can hold; outside them 422).
     */
    public Optional<Instant> instant(String name) {
        return string(name).filter(s -> !s.isBlank()).map(String::trim).map(s -> {
            Instant instant;
            try {
                instant = s.length() == 10 ? LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(name + " is invalid");
            }
            if (instant.isBefore(Instant.EPOCH) || !instant.isBefore(LATEST_INSTANT)) {
                throw ApiException.invalid(name + " must be between 1970 and 9999");
            }
            return instant;
        });
    }

    /** Every value of {@code name} (repeated, JSON array, or comma-separated). */
    public Optional<List<String>> list(String name) {
        List<String> list = values.get(name);
        if (list == null) {
            return Optional.empty();
        }
        return Optional.of(list.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList());
    }

    /** {@code page} and {@code per_page}. */
    public PageRequest page() {
        return new PageRequest(intValue("page").orElse(1), intValue("per_page").orElse(PageRequest.DEFAULT_PER_PAGE));
    }

    private static void readJson(String body, Map<String, List<String>> values) {
        JsonNode root;
        try {
            root = ContractJson.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        root.fields().forEachRemaining(field -> {
            JsonNode node = field.getValue();
            if (node.isNull()) {
                return;
            }
            List<String> list = values.computeIfAbsent(key(field.getKey()), k -> new ArrayList<>());
            if (node.isArray()) {
                node.forEach(item -> list.add(item.asText()));
            } else if (node.isValueNode()) {
                list.add(node.asText());
            } else {
                throw ApiException.badRequest(field.getKey() + " is invalid");
            }
        });
    }

    private static void readForm(String body, Map<String, List<String>> values) {
        FinalizeForm.parseAll(body).forEach((name, list) -> values.computeIfAbsent(key(name), k -> new ArrayList<>()).addAll(list));
    }

    private static String key(String name) {
        return name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
    }
}

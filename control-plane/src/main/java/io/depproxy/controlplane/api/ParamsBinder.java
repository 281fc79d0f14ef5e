package io.depproxy.controlplane.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.controlplane.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link ApiParams} read into a typed request record, property by property as the record declares them (its
 * {@code @JsonProperty} names, through the application's {@link ObjectMapper}): text, whole numbers, GitLab's booleans
 * ({@code true}/{@code 1}/{@code yes}/{@code t} and their opposites), lists (repeated, a JSON array or comma-separated)
 * and dates. A malformed value is 400 naming it, exactly as {@link ApiParams} answers; {@link #valid} then checks the
 * record's constraints (422 naming the first value out of bounds). The API binds bodies with it
 * ({@link FormOrJsonBodyReader}) and the admin page its forms, so both refuse the same values the same way.
 */
@ApplicationScoped
public class ParamsBinder {
    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;

    public <T> T bind(ApiParams params, Class<T> type) {
        JavaType javaType = json.constructType(type);
        BeanDescription description = json.getDeserializationConfig().introspect(javaType);
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (BeanPropertyDefinition property : description.findProperties()) {
            String name = property.getName();
            value(params, name, property.getPrimaryType()).ifPresent(value -> node.set(name, value));
        }
        try {
            return json.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " from its parameters", e);
        }
    }

    /** {@link #bind} then {@link #valid}: what the admin page's forms use. */
    public <T> T bindValid(ApiParams params, Class<T> type) {
        return valid(bind(params, type));
    }

    /** The request, when its Bean Validation constraints hold; 422 naming the first value out of bounds otherwise. */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return request;
    }

    private static Optional<JsonNode> value(ApiParams params, String name, JavaType type) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return params.string(name).map(nodes::textNode);
        }
        if (raw == Long.class || raw == long.class) {
            return params.longValue(name).map(nodes::numberNode);
        }
        if (raw == Integer.class || raw == int.class) {
            return params.intValue(name).map(nodes::numberNode);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return params.bool(name).map(nodes::booleanNode);
        }
        if (raw == Instant.class) {
            return params.instant(name).map(instant -> nodes.textNode(instant.toString()));
        }
        if (Collection.class.isAssignableFrom(raw) && type.getContentType() != null) {
            Class<?> item = type.getContentType().getRawClass();
            if (item == String.class) {
                return params.list(name).map(values -> array(values, nodes::textNode));
            }
            if (item == Long.class) {
                return params.list(name).map(values -> array(values, value -> nodes.numberNode(whole(name, value))));
            }
        }
        throw new IllegalStateException("no parameter binding for " + type + " (" + name + ")");
    }

    private static ArrayNode array(List<String> values, Function<String, JsonNode> item) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(value -> array.add(item.apply(value)));
        return array;
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " is invalid");
        }
    }
}

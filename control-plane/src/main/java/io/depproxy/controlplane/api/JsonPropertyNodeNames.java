package io.depproxy.controlplane.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Bean Validation names a property as the client wrote it, its JSON name ({@code manifest_revalidate_after}), not
 * the Java one: a 422 says which value to fix in the client's own terms. Quarkus's validator picks this bean up;
 * a class Jackson does not map keeps its Java names.
 */
@Singleton
public class JsonPropertyNodeNames implements PropertyNodeNameProvider {
    private final Map<Class<?>, Map<String, String>> names = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper json;

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty bean) {
            return names.computeIfAbsent(bean.getDeclaringClass(), this::jsonNames)
                    .getOrDefault(property.getName(), property.getName());
        }
        return property.getName();
    }

    private Map<String, String> jsonNames(Class<?> type) {
        try {
            return json.getDeserializationConfig().introspect(json.constructType(type)).findProperties().stream()
                    .collect(Collectors.toMap(BeanPropertyDefinition::getInternalName, BeanPropertyDefinition::getName,
                            (first, second) -> first));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}

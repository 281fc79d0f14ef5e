package io.depproxy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment one container gets, resolved the way the kubelet does: {@code envFrom} ConfigMaps and
 * Secrets first, then {@code env} entries on top. A value is known for literals and ConfigMap keys; Secret
 * values stay unknown (prod renders no Secret at all).
 */
record ContainerEnv(Map<String, Source> variables) {

    /** Where a variable comes from, and its value when the manifests hold it. */
    record Source(String from, Optional<String> value) {
    }

    static ContainerEnv of(Manifests manifests, JsonNode container) {
        Map<String, Source> variables = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                JsonNode data = manifests.find("ConfigMap", name)
                        .orElseThrow(() -> missing(manifests, "ConfigMap", name)).path("data");
                data.properties().forEach(e -> variables.put(e.getKey(),
                        new Source("ConfigMap " + name, Optional.of(e.getValue().asText()))));
            } else if (from.has("secretRef")) {
                String name = from.path("secretRef").path("name").asText();
                // Without the rendered Secret its keys (so the variable names) are unknown: name them in env.
                JsonNode data = manifests.find("Secret", name)
                        .orElseThrow(() -> missing(manifests, "Secret (envFrom: use env + secretKeyRef)", name));
                data.path("data").properties().forEach(e -> variables.put(e.getKey(),
                        new Source("Secret " + name, Optional.empty())));
            }
        }
        for (JsonNode entry : container.path("env")) {
            variables.put(entry.path("name").asText(), source(entry));
        }
        return new ContainerEnv(variables);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(variables.get(name)).flatMap(Source::value);
    }

    boolean isSet(String name) {
        return variables.containsKey(name);
    }

    private static Source source(JsonNode entry) {
        if (entry.has("value")) {
            return new Source("value", Optional.of(entry.path("value").asText()));
        }
        JsonNode ref = entry.path("valueFrom");
        if (ref.has("secretKeyRef")) {
            return new Source("Secret " + ref.path("secretKeyRef").path("name").asText() + " key "
                    + ref.path("secretKeyRef").path("key").asText(), Optional.empty());
        }
        if (ref.has("configMapKeyRef")) {
            return new Source("ConfigMap " + ref.path("configMapKeyRef").path("name").asText() + " key "
                    + ref.path("configMapKeyRef").path("key").asText(), Optional.empty());
        }
        return new Source(ref.toString(), Optional.empty());
    }

    private static IllegalStateException missing(Manifests manifests, String kind, String name) {
        return new IllegalStateException(manifests.overlay() + ": envFrom names " + kind + " " + name
                + ", which the overlay does not render");
    }
}

package io.depproxy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The objects one overlay renders to, as kustomize printed them (names already hashed and prefixed). */
record Manifests(String overlay, List<JsonNode> objects) {

    static final List<String> OVERLAYS = List.of("dev", "prod");

    private static final YAMLMapper YAML = new YAMLMapper();

    /** Every overlay under {@code k8s/overlays}, each rendered by the real kustomize. */
    static List<Manifests> renderAll() {
        Kustomize kustomize = Kustomize.locate();
        List<Manifests> all = new ArrayList<>();
        for (String overlay : OVERLAYS) {
            all.add(parse(overlay, kustomize.build(k8sDir().resolve("overlays").resolve(overlay))));
        }
        return List.copyOf(all);
    }

    static Manifests parse(String overlay, String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("overlay " + overlay + ": kustomize printed YAML that does not parse", e);
        }
        return new Manifests(overlay, List.copyOf(objects));
    }

    static Path k8sDir() {
        return Paths.get(System.getProperty("dp.k8sDir", "../../k8s")).toAbsolutePath().normalize();
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    List<JsonNode> deployments() {
        return ofKind("Deployment");
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** The {@code app.kubernetes.io/component} label: which service a Deployment runs. */
    static String component(JsonNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/component").asText();
    }

    static Map<String, String> podLabels(JsonNode deployment) {
        return stringMap(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    /** True when every label of {@code matchLabels} is on {@code labels} (an empty selector selects all). */
    static boolean selects(JsonNode matchLabels, Map<String, String> labels) {
        return stringMap(matchLabels).entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new TreeMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    @Override
    public String toString() {
        return overlay;
    }
}

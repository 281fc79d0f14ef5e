package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environment each Deployment hands its service, checked against what that service reads
 * ({@code service-env/<component>.txt}): nothing unknown, nothing required missing, Secrets that exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceEnvironmentTest {

    record Case(String name, Manifests manifests, JsonNode podSpec, JsonNode container, ServiceEnv reads) {
        ContainerEnv env() {
            return ContainerEnv.of(manifests, container);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ENCRYPTION_SECRET = "dependency-proxy-encryption";

    private final List<Manifests> overlays = Manifests.renderAll();

    Stream<Case> services() {
        List<Case> cases = new ArrayList<>();
        for (Manifests manifests : overlays) {
            for (JsonNode deployment : manifests.deployments()) {
                ServiceEnv reads = ServiceEnv.load(Manifests.component(deployment));
                JsonNode podSpec = deployment.path("spec").path("template").path("spec");
                for (JsonNode container : podSpec.path("containers")) {
                    cases.add(new Case(manifests + "/" + reads.service(), manifests, podSpec, container, reads));
                }
            }
        }
        return cases.stream();
    }

    Stream<Case> devServices() {
        return services().filter(c -> c.manifests().overlay().equals("dev"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void setsOnlyVariablesTheServiceReads(Case c) {
        Set<String> set = new TreeSet<>(c.env().variables().keySet());
        set.removeIf(name -> !name.startsWith("DP_"));
        assertThat(set).as("DP_* variables set for %s (service-env/%s.txt lists what it reads)",
                c.reads().service(), c.reads().service()).isSubsetOf(c.reads().names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void setsEveryRequiredVariable(Case c) {
        ContainerEnv env = c.env();
        for (ServiceEnv.Variable required : c.reads().required()) {
            assertThat(required.alternatives().stream().anyMatch(env::isSet))
                    .as("one of %s is set", required.alternatives()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void pointsFileVariablesAtReadOnlySecretMounts(Case c) {
        c.env().variables().forEach((name, source) -> {
            if (!name.startsWith("DP_") || !name.endsWith("_FILE")) {
                return;
            }
            String path = source.value().orElseThrow(() -> new AssertionError(name + " must be a literal path"));
            JsonNode mount = mountHolding(c.container(), path);
            assertThat(mount).as("%s=%s lies under a volumeMount", name, path).isNotNull();
            assertThat(mount.path("readOnly").asBoolean()).as("%s mount is readOnly", name).isTrue();
            JsonNode secret = volume(c.podSpec(), mount.path("name").asText()).path("secret");
            assertThat(secret.isMissingNode()).as("%s comes from a Secret volume", name).isFalse();
            String file = path.substring(mount.path("mountPath").asText().length() + 1);
            assertThat(itemPaths(secret)).as("%s: the Secret volume projects %s", name, file).contains(file);
        });
    }

    /** Dev is the overlay that ships example Secrets, so there every reference must resolve to a real key. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("devServices")
    void referencesOnlySecretKeysTheDevOverlayDefines(Case c) {
        for (JsonNode entry : c.container().path("env")) {
            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode() && !ref.path("optional").asBoolean(false)) {
                assertSecretHasKey(c.manifests(), ref.path("name").asText(), ref.path("key").asText());
            }
        }
        for (JsonNode volume : c.podSpec().path("volumes")) {
            JsonNode secret = volume.path("secret");
            for (JsonNode item : secret.path("items")) {
                assertSecretHasKey(c.manifests(), secret.path("secretName").asText(), item.path("key").asText());
            }
        }
    }

    /** The key encrypting upstream secrets at rest is the control plane's alone: the public edge never holds it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void onlyTheControlPlaneGetsTheEncryptionKey(Case c) {
        boolean controlPlane = c.reads().service().equals("control-plane");
        boolean mounted = false;
        for (JsonNode volume : c.podSpec().path("volumes")) {
            mounted |= ENCRYPTION_SECRET.equals(volume.path("secret").path("secretName").asText());
        }
        assertThat(mounted).as("%s mounts Secret %s", c, ENCRYPTION_SECRET).isEqualTo(controlPlane);
        assertThat(c.env().isSet("DP_ENCRYPTION_KEY_FILE")).as("%s sets DP_ENCRYPTION_KEY_FILE", c)
                .isEqualTo(controlPlane);
    }

    private static void assertSecretHasKey(Manifests manifests, String name, String key) {
        JsonNode secret = manifests.find("Secret", name)
                .orElseThrow(() -> new AssertionError(manifests + ": no Secret " + name));
        assertThat(secret.path("data").has(key) || secret.path("stringData").has(key))
                .as("Secret %s has key %s", name, key).isTrue();
    }

    private static JsonNode mountHolding(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.startsWith(mount.path("mountPath").asText() + "/")) {
                return mount;
            }
        }
        return null;
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static List<String> itemPaths(JsonNode secretVolume) {
        List<String> paths = new ArrayList<>();
        secretVolume.path("items").forEach(item -> paths.add(item.path("path").asText()));
        return paths;
    }
}

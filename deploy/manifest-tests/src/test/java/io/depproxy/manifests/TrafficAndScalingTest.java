package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may reach what, how traffic is spread, and how each Deployment scales and survives node drains. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficAndScalingTest {

    private static final Map<String, String> INGRESS_ANNOTATIONS = Map.of(
            "nginx.ingress.kubernetes.io/upstream-hash-by", "$request_uri",
            "nginx.ingress.kubernetes.io/proxy-body-size", "0",
            "nginx.ingress.kubernetes.io/proxy-read-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-buffering", "off",
            "nginx.ingress.kubernetes.io/proxy-request-buffering", "off");

    private final List<Manifests> overlays = Manifests.renderAll();

    List<Manifests> overlays() {
        return overlays;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void givesEveryDeploymentAnAutoscalerAndADisruptionBudget(Manifests m) {
        for (JsonNode deployment : m.deployments()) {
            String name = Manifests.name(deployment);
            assertThat(deployment.path("spec").has("replicas")).as("%s: replicas are the HPA's", name).isFalse();
            List<JsonNode> hpas = m.ofKind("HorizontalPodAutoscaler").stream()
                    .filter(h -> h.path("spec").path("scaleTargetRef").path("kind").asText().equals("Deployment"))
                    .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(name))
                    .toList();
            assertThat(hpas).as("%s: HorizontalPodAutoscalers", name).hasSize(1);
            assertThat(hpas.get(0).path("apiVersion").asText()).isEqualTo("autoscaling/v2");
            assertThat(hpas.get(0).path("spec").path("maxReplicas").asInt())
                    .isGreaterThan(hpas.get(0).path("spec").path("minReplicas").asInt(1));
            Map<String, String> labels = Manifests.podLabels(deployment);
            assertThat(m.ofKind("PodDisruptionBudget").stream()
                    .filter(p -> Manifests.selects(p.path("spec").path("selector").path("matchLabels"), labels)))
                    .as("%s: PodDisruptionBudgets selecting its pods", name).hasSize(1);
        }
    }

    @Test
    void prodRunsMoreReplicasAndScalesFurtherThanDev() {
        for (String deployment : List.of("dependency-proxy-accelerator", "dependency-proxy-control-plane")) {
            JsonNode dev = hpa("dev", deployment).path("spec");
            JsonNode prod = hpa("prod", deployment).path("spec");
            assertThat(prod.path("minReplicas").asInt()).as("%s minReplicas", deployment)
                    .isGreaterThan(dev.path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(prod.path("maxReplicas").asInt()).as("%s maxReplicas", deployment)
                    .isGreaterThan(dev.path("maxReplicas").asInt());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void admitsOnlyTheAcceleratorToTheControlPlane(Manifests m) {
        Map<String, String> controlPlane = podLabels(m, "control-plane");
        Map<String, String> accelerator = podLabels(m, "accelerator");
        // Egress-only policies (components/egress) say nothing about who may connect in.
        List<JsonNode> policies = m.ofKind("NetworkPolicy").stream()
                .filter(p -> Manifests.selects(p.path("spec").path("podSelector").path("matchLabels"), controlPlane))
                .filter(p -> p.path("spec").path("policyTypes").toString().contains("\"Ingress\""))
                .toList();
        assertThat(policies).as("NetworkPolicies selecting the control plane").isNotEmpty();
        boolean acceleratorAdmitted = false;
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                // A rule without peers admits everyone; policies add up, so one open rule opens the port.
                assertThat(rule.path("from").size()).as("%s: a rule with no `from`", Manifests.name(policy))
                        .isPositive();
                for (JsonNode peer : rule.path("from")) {
                    acceleratorAdmitted |= isAcceleratorPeer(peer, accelerator, controlPlane);
                    assertThat(isAcceleratorPeer(peer, accelerator, controlPlane) || isPrometheusPeer(peer))
                            .as("%s admits only accelerator pods (or Prometheus in a labelled namespace): %s",
                                    Manifests.name(policy), peer).isTrue();
                }
            }
        }
        assertThat(acceleratorAdmitted).as("some rule admits the accelerator").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void routesTheIngressByRequestUriToTheAcceleratorWithoutBuffering(Manifests m) {
        List<JsonNode> ingresses = m.ofKind("Ingress");
        assertThat(ingresses).hasSize(1);
        JsonNode ingress = ingresses.get(0);
        assertThat(Manifests.stringMap(ingress.path("metadata").path("annotations")))
                .containsAllEntriesOf(INGRESS_ANNOTATIONS);
        assertThat(ingress.path("spec").path("ingressClassName").asText()).isEqualTo("nginx");
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                String service = path.path("backend").path("service").path("name").asText();
                JsonNode selector = m.find("Service", service)
                        .orElseThrow(() -> new AssertionError("no Service " + service)).path("spec").path("selector");
                assertThat(Manifests.selects(selector, podLabels(m, "accelerator")))
                        .as("Ingress backend %s selects the accelerator", service).isTrue();
                assertThat(Manifests.selects(selector, podLabels(m, "control-plane")))
                        .as("Ingress backend %s never selects the control plane", service).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void announcesTheIngressHostAsTheExternalUrl(Manifests m) {
        URI external = URI.create(env(m, "control-plane").value("DP_EXTERNAL_URL").orElseThrow());
        JsonNode ingress = m.ofKind("Ingress").get(0).path("spec");
        List<String> hosts = new ArrayList<>();
        ingress.path("rules").forEach(r -> hosts.add(r.path("host").asText()));
        assertThat(hosts).as("Ingress hosts (DP_EXTERNAL_URL is the token realm clients follow)")
                .contains(external.getHost());
        boolean tls = ingress.path("tls").toString().contains("\"" + external.getHost() + "\"");
        assertThat(external.getScheme()).as("scheme of DP_EXTERNAL_URL").isEqualTo(tls ? "https" : "http");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void pointsTheAcceleratorAtTheControlPlaneService(Manifests m) {
        URI url = URI.create(env(m, "accelerator").value("DP_CONTROL_PLANE_URL").orElseThrow());
        JsonNode service = m.find("Service", url.getHost())
                .orElseThrow(() -> new AssertionError("DP_CONTROL_PLANE_URL names no Service: " + url));
        assertThat(Manifests.selects(service.path("spec").path("selector"), podLabels(m, "control-plane"))).isTrue();
        assertThat(service.path("spec").path("ports").findValuesAsText("port")).contains(String.valueOf(url.getPort()));
    }

    @Test
    void prodPinsEveryImageToAReleaseTagOrDigest() {
        Manifests prod = overlays.stream().filter(m -> m.overlay().equals("prod")).findFirst().orElseThrow();
        for (JsonNode deployment : prod.deployments()) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                assertThat(container.path("image").asText()).as("image of %s", Manifests.name(deployment))
                        .matches(".+(@sha256:[0-9a-f]{64}|:v?[0-9]+\\.[0-9]+\\.[0-9]+)");
            }
        }
    }

    private static boolean isAcceleratorPeer(JsonNode peer, Map<String, String> accelerator,
                                             Map<String, String> controlPlane) {
        JsonNode pods = peer.path("podSelector").path("matchLabels");
        return peer.size() == 1 && peer.has("podSelector") && !pods.isEmpty()
                && Manifests.selects(pods, accelerator) && !Manifests.selects(pods, controlPlane);
    }

    /** Prometheus pods, in namespaces labelled for scraping: both selectors in one peer, never either alone. */
    private static boolean isPrometheusPeer(JsonNode peer) {
        return peer.size() == 2 && !peer.path("namespaceSelector").path("matchLabels").isEmpty()
                && "prometheus".equals(peer.path("podSelector").path("matchLabels")
                        .path("app.kubernetes.io/name").asText());
    }

    private JsonNode hpa(String overlay, String deployment) {
        return overlays.stream().filter(m -> m.overlay().equals(overlay)).findFirst().orElseThrow()
                .find("HorizontalPodAutoscaler", deployment).orElseThrow();
    }

    private static JsonNode deployment(Manifests m, String component) {
        return m.deployments().stream().filter(d -> component.equals(Manifests.component(d))).findFirst()
                .orElseThrow(() -> new AssertionError(m + ": no Deployment of component " + component));
    }

    private static Map<String, String> podLabels(Manifests m, String component) {
        return Manifests.podLabels(deployment(m, component));
    }

    private static ContainerEnv env(Manifests m, String component) {
        return ContainerEnv.of(m, deployment(m, component).path("spec").path("template").path("spec")
                .path("containers").path(0));
    }
}

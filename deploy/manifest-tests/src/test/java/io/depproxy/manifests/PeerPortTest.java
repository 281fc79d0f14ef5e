package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cluster-wide single flight's wiring (docs/scale-out.md): the accelerator listens for peers on DP_PEER_PORT, a
 * containerPort named {@code peer}, advertises its pod IP from the downward API, and only accelerator pods may
 * connect to that port; no Service (and so no Ingress) exposes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerPortTest {
    private final List<Manifests> overlays = Manifests.renderAll();

    List<Manifests> overlays() {
        return overlays;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theAcceleratorListensForPeersOnANamedPortAndAdvertisesItsPodIp(Manifests m) {
        JsonNode deployment = accelerator(m);
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        ContainerEnv env = ContainerEnv.of(m, container);
        String port = env.value("DP_PEER_PORT").orElseThrow(() -> new AssertionError("DP_PEER_PORT is not set"));
        assertThat(StreamSupport.stream(container.path("ports").spliterator(), false)
                .anyMatch(p -> p.path("name").asText().equals("peer")
                        && p.path("containerPort").asText().equals(port)))
                .as("a containerPort named peer on DP_PEER_PORT %s", port).isTrue();
        JsonNode podIp = StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals("POD_IP")).findFirst()
                .orElseThrow(() -> new AssertionError("no POD_IP"));
        assertThat(podIp.path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("status.podIP");
        assertThat(env.value("DP_PEER_ADVERTISE_URL")).contains("http://$(POD_IP):" + port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void noServiceExposesThePeerPortAndOnlyAcceleratorsReachIt(Manifests m) {
        Map<String, String> accelerator = Manifests.podLabels(accelerator(m));
        for (JsonNode service : m.ofKind("Service")) {
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(port.path("targetPort").asText()).as("%s", Manifests.name(service))
                        .isNotIn("peer", "8090");
            }
        }
        List<JsonNode> ingress = m.ofKind("NetworkPolicy").stream()
                .filter(p -> Manifests.selects(p.path("spec").path("podSelector").path("matchLabels"), accelerator))
                .filter(p -> p.path("spec").path("policyTypes").toString().contains("\"Ingress\""))
                .toList();
        assertThat(ingress).as("an ingress NetworkPolicy selects the accelerator").isNotEmpty();
        boolean peersAdmitted = false;
        for (JsonNode policy : ingress) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean peerPort = StreamSupport.stream(rule.path("ports").spliterator(), false)
                        .anyMatch(p -> p.path("port").asText().equals("peer"));
                boolean allPorts = rule.path("ports").isEmpty();
                if (!peerPort && !allPorts) {
                    continue;
                }
                assertThat(rule.path("from").size()).as("%s: the peer port open to everyone", Manifests.name(policy))
                        .isPositive();
                for (JsonNode from : rule.path("from")) {
                    JsonNode pods = from.path("podSelector").path("matchLabels");
                    assertThat(from.size() == 1 && !pods.isEmpty() && Manifests.selects(pods, accelerator))
                            .as("%s admits only accelerator pods to the peer port: %s", Manifests.name(policy), from)
                            .isTrue();
                    peersAdmitted = true;
                }
            }
        }
        assertThat(peersAdmitted).as("accelerator pods may reach each other's peer port").isTrue();
    }

    private static JsonNode accelerator(Manifests m) {
        return m.deployments().stream().filter(d -> Manifests.component(d).equals("accelerator")).findFirst()
                .orElseThrow();
    }
}

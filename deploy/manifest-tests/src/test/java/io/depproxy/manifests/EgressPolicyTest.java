package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The prod overlay's egress policies (k8s/components/egress): both services reach DNS and the internet, but no rule
 * lets a pod reach the cloud metadata address or a private address outside the named peers, and no rule is open.
 */
class EgressPolicyTest {

    private static final List<String> FORBIDDEN = List.of("169.254.169.254", "10.1.2.3", "172.20.0.1",
            "192.168.1.1", "100.64.0.1");

    private final Manifests prod = Manifests.renderAll().stream()
            .filter(m -> m.overlay().equals("prod")).findFirst().orElseThrow();

    @Test
    void selectsBothServicesWithAnEgressPolicy() {
        for (JsonNode deployment : prod.deployments()) {
            assertThat(egressPolicies(Manifests.podLabels(deployment)))
                    .as("egress policies selecting %s", Manifests.name(deployment)).isNotEmpty();
        }
    }

    @Test
    void letsBothServicesResolveNames() {
        for (JsonNode deployment : prod.deployments()) {
            boolean dns = egressPolicies(Manifests.podLabels(deployment)).stream()
                    .flatMap(p -> stream(p.path("spec").path("egress")))
                    .anyMatch(rule -> stream(rule.path("ports")).anyMatch(port -> port.path("port").asInt() == 53));
            assertThat(dns).as("%s may reach DNS", Manifests.name(deployment)).isTrue();
        }
    }

    @Test
    void neverReachesTheMetadataAddressOrPrivateRanges() throws UnknownHostException {
        for (JsonNode policy : prod.ofKind("NetworkPolicy")) {
            for (JsonNode rule : policy.path("spec").path("egress")) {
                assertThat(rule.path("to").size()).as("%s: a rule without `to` opens every address",
                        Manifests.name(policy)).isPositive();
                for (JsonNode peer : rule.path("to")) {
                    JsonNode block = peer.path("ipBlock");
                    if (block.isMissingNode()) {
                        continue;
                    }
                    for (String address : FORBIDDEN) {
                        assertThat(admits(block, address)).as("%s admits %s", Manifests.name(policy), address)
                                .isFalse();
                    }
                }
            }
        }
    }

    @Test
    void reachesTheInternet() throws UnknownHostException {
        for (JsonNode deployment : prod.deployments()) {
            boolean internet = false;
            for (JsonNode policy : egressPolicies(Manifests.podLabels(deployment))) {
                for (JsonNode rule : policy.path("spec").path("egress")) {
                    for (JsonNode peer : rule.path("to")) {
                        internet |= !peer.path("ipBlock").isMissingNode() && admits(peer.path("ipBlock"), "1.1.1.1");
                    }
                }
            }
            assertThat(internet).as("%s may reach a public address", Manifests.name(deployment)).isTrue();
        }
    }

    private List<JsonNode> egressPolicies(Map<String, String> podLabels) {
        return prod.ofKind("NetworkPolicy").stream()
                .filter(p -> p.path("spec").path("policyTypes").toString().contains("\"Egress\""))
                .filter(p -> Manifests.selects(p.path("spec").path("podSelector").path("matchLabels"), podLabels))
                .toList();
    }

    private static boolean admits(JsonNode ipBlock, String address) throws UnknownHostException {
        if (!contains(ipBlock.path("cidr").asText(), address)) {
            return false;
        }
        for (JsonNode except : ipBlock.path("except")) {
            if (contains(except.asText(), address)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String cidr, String address) throws UnknownHostException {
        String[] parts = cidr.split("/");
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        byte[] candidate = InetAddress.getByName(address).getAddress();
        if (network.length != candidate.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((network[i / 8] & mask) != (candidate[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}

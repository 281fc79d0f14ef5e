package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every container of every Deployment, in every overlay: probes, resources, and a locked-down runtime. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentHardeningTest {

    record Case(String name, Manifests manifests, JsonNode deployment, JsonNode container) {
        JsonNode podSpec() {
            return deployment.path("spec").path("template").path("spec");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final List<Manifests> overlays = Manifests.renderAll();

    Stream<Case> containers() {
        List<Case> cases = new ArrayList<>();
        for (Manifests manifests : overlays) {
            assertThat(manifests.deployments()).as("%s: Deployments", manifests).hasSize(2);
            for (JsonNode deployment : manifests.deployments()) {
                for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                    cases.add(new Case(manifests + "/" + Manifests.name(deployment) + "/" + container.path("name")
                            .asText(), manifests, deployment, container));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void probesReadinessAndLivenessOnTheHealthRoutes(Case c) {
        assertThat(c.container().path("readinessProbe").path("httpGet").path("path").asText())
                .as("readinessProbe").isEqualTo("/-/health/ready");
        assertThat(c.container().path("livenessProbe").path("httpGet").path("path").asText())
                .as("livenessProbe").isEqualTo("/-/health/live");
        assertThat(probePort(c, "readinessProbe")).as("readinessProbe port").isEqualTo(servingPort(c));
        assertThat(probePort(c, "livenessProbe")).as("livenessProbe port").isEqualTo(servingPort(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void setsResourceRequestsAndLimits(Case c) {
        JsonNode resources = c.container().path("resources");
        for (String resource : List.of("cpu", "memory")) {
            assertThat(resources.path("requests").has(resource)).as("requests.%s", resource).isTrue();
            assertThat(resources.path("limits").has(resource)).as("limits.%s", resource).isTrue();
            BigDecimal request = Quantity.parse(resources.path("requests").path(resource).asText());
            BigDecimal limit = Quantity.parse(resources.path("limits").path(resource).asText());
            assertThat(request).as("requests.%s <= limits.%s", resource, resource).isLessThanOrEqualTo(limit);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void runsAsNonRootOnAReadOnlyRootFilesystemWithNoPrivileges(Case c) {
        assertThat(effective(c, "runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
        assertThat(effective(c, "runAsUser").asInt()).as("runAsUser").isEqualTo(10001);
        JsonNode security = c.container().path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                && !security.path("allowPrivilegeEscalation").asBoolean()).as("allowPrivilegeEscalation: false").isTrue();
        assertThat(security.path("capabilities").path("drop").toString()).as("capabilities.drop").isEqualTo("[\"ALL\"]");
        assertThat(security.path("capabilities").path("add").isMissingNode()).as("capabilities.add").isTrue();
        assertThat(effective(c, "seccompProfile").path("type").asText()).as("seccompProfile").isEqualTo("RuntimeDefault");
        assertThat(c.podSpec().path("automountServiceAccountToken").asBoolean(true))
                .as("automountServiceAccountToken").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void writesOnlyToEmptyDirVolumesIncludingTmp(Case c) {
        assertThat(mountedEmptyDir(c, "/tmp")).as("an emptyDir at /tmp (the root filesystem is read-only)").isNotNull();
        for (JsonNode mount : c.container().path("volumeMounts")) {
            JsonNode volume = volume(c, mount.path("name").asText());
            if (!mount.path("readOnly").asBoolean(false)) {
                assertThat(volume.has("emptyDir")).as("writable mount %s is an emptyDir", mount.path("mountPath"))
                        .isTrue();
                assertThat(volume.path("emptyDir").has("sizeLimit")).as("emptyDir %s has a sizeLimit", volume
                        .path("name")).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void keepsTheAcceleratorSpoolBelowItsVolumeSizeLimit(Case c) {
        ContainerEnv env = ContainerEnv.of(c.manifests(), c.container());
        if (!env.isSet("DP_SPOOL_DIR")) {
            assertThat(Manifests.component(c.deployment())).as("only the accelerator spools").isNotEqualTo("accelerator");
            return;
        }
        JsonNode spool = mountedEmptyDir(c, env.value("DP_SPOOL_DIR").orElseThrow());
        assertThat(spool).as("DP_SPOOL_DIR is an emptyDir mount").isNotNull();
        BigDecimal sizeLimit = Quantity.parse(spool.path("emptyDir").path("sizeLimit").asText());
        BigDecimal maxBytes = new BigDecimal(env.value("DP_SPOOL_MAX_BYTES").orElseThrow());
        // The hot tier defaults to <spool>/hot, on the same volume (a finished download is hard-linked in).
        assertThat(env.isSet("DP_HOT_CACHE_DIR")).as("the hot tier stays on the spool volume").isFalse();
        maxBytes = maxBytes.add(new BigDecimal(env.value("DP_HOT_CACHE_MAX_BYTES").orElse("10737418240")));
        // Over the sizeLimit the kubelet evicts the whole pod; under DP_SPOOL_MAX_BYTES the service degrades to
        // pass-through and the hot tier evicts. Those bounds must trip first, with room for files being closed.
        assertThat(maxBytes).as("DP_SPOOL_MAX_BYTES + DP_HOT_CACHE_MAX_BYTES vs sizeLimit %s", sizeLimit)
                .isLessThan(sizeLimit.multiply(new BigDecimal("0.95")))
                .isGreaterThan(sizeLimit.multiply(new BigDecimal("0.5")));
        // Scheduled only where the spool fits on the node's disk.
        String storage = c.container().path("resources").path("requests").path("ephemeral-storage").asText("0");
        assertThat(Quantity.parse(storage)).as("requests.ephemeral-storage vs spool sizeLimit")
                .isGreaterThanOrEqualTo(sizeLimit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void drainsStreamsWithinTheTerminationGracePeriod(Case c) {
        ContainerEnv env = ContainerEnv.of(c.manifests(), c.container());
        if (!env.isSet("DP_SHUTDOWN_GRACE")) {
            return;
        }
        long drain = seconds(env.value("DP_SHUTDOWN_GRACE").orElseThrow());
        JsonNode preStop = c.container().path("lifecycle").path("preStop").path("exec").path("command");
        long preStopSleep = preStop.path(0).asText().equals("sleep") ? Long.parseLong(preStop.path(1).asText()) : 0;
        long termination = c.podSpec().path("terminationGracePeriodSeconds").asLong(30);
        // after the drain the service still closes its clients and event loops: leave it some seconds
        assertThat(preStopSleep + drain + 10).as("preStop + DP_SHUTDOWN_GRACE + closing vs "
                + "terminationGracePeriodSeconds").isLessThanOrEqualTo(termination);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void behindTheIngressLimitsNoClientAddressAndOutlastsItsIdleUpstreamConnections(Case c) {
        if (!Manifests.component(c.deployment()).equals("accelerator")) {
            return;
        }
        ContainerEnv env = ContainerEnv.of(c.manifests(), c.container());
        // every connection comes from the ingress controller: a limit per address would limit all clients at once
        assertThat(env.value("DP_MAX_CONNECTIONS_PER_CLIENT")).as("DP_MAX_CONNECTIONS_PER_CLIENT").hasValue("0");
        // the head deadline is also the keep-alive window: longer than ingress-nginx keeps idle upstream connections
        assertThat(seconds(env.value("DP_HEADER_TIMEOUT").orElse("30s"))).as("DP_HEADER_TIMEOUT vs ingress-nginx "
                + "upstream-keepalive-timeout (60 s)").isGreaterThan(60);
    }

    private static long seconds(String duration) {
        if (duration.endsWith("ms")) {
            return (Long.parseLong(duration.substring(0, duration.length() - 2)) + 999) / 1000;
        }
        long amount = Long.parseLong(duration.substring(0, duration.length() - 1));
        return switch (duration.charAt(duration.length() - 1)) {
            case 's' -> amount;
            case 'm' -> amount * 60;
            case 'h' -> amount * 3600;
            default -> throw new IllegalArgumentException("not a duration: " + duration);
        };
    }

    private static JsonNode effective(Case c, String field) {
        JsonNode container = c.container().path("securityContext").path(field);
        return container.isMissingNode() ? c.podSpec().path("securityContext").path(field) : container;
    }

    private static String servingPort(Case c) {
        return c.container().path("ports").path(0).path("name").asText();
    }

    private static String probePort(Case c, String probe) {
        return c.container().path(probe).path("httpGet").path("port").asText();
    }

    private static JsonNode mountedEmptyDir(Case c, String path) {
        for (JsonNode mount : c.container().path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                JsonNode volume = volume(c, mount.path("name").asText());
                return volume.has("emptyDir") ? volume : null;
            }
        }
        return null;
    }

    private static JsonNode volume(Case c, String name) {
        for (JsonNode volume : c.podSpec().path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError(c.name() + ": volumeMount " + name + " names no volume");
    }
}

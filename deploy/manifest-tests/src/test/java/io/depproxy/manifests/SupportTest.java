package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The helpers the manifest checks stand on: service-env files, quantities, locating kubectl. */
class SupportTest {

    record QuantityCase(String name, String quantity, BigDecimal value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<QuantityCase> quantities() {
        return Stream.of(
                new QuantityCase("binary gibibytes", "10Gi", BigDecimal.valueOf(10L << 30)),
                new QuantityCase("binary mebibytes", "512Mi", BigDecimal.valueOf(512L << 20)),
                new QuantityCase("decimal gigabytes", "2G", BigDecimal.valueOf(2_000_000_000L)),
                new QuantityCase("millicores", "250m", new BigDecimal("0.250")),
                new QuantityCase("plain number", "2", BigDecimal.valueOf(2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantities")
    void parsesKubernetesQuantities(QuantityCase c) {
        assertThat(Quantity.parse(c.quantity())).isEqualByComparingTo(c.value());
    }

    @Test
    void rejectsAnUnknownQuantitySuffix() {
        assertThatThrownBy(() -> Quantity.parse("10GB")).hasMessageContaining("10GB");
    }

    @Test
    void readsAlternativesAndSkipsComments() {
        ServiceEnv env = ServiceEnv.parse("svc", """
                # comment
                DP_A required

                DP_B|DP_B_FILE required
                DP_C optional
                """);
        assertThat(env.names()).containsExactly("DP_A", "DP_B", "DP_B_FILE", "DP_C");
        assertThat(env.required()).extracting(ServiceEnv.Variable::alternatives)
                .containsExactly(List.of("DP_A"), List.of("DP_B", "DP_B_FILE"));
    }

    @Test
    void rejectsALineWithoutRequiredOrOptional() {
        assertThatThrownBy(() -> ServiceEnv.parse("svc", "DP_A mandatory\n")).hasMessageContaining("DP_A mandatory");
    }

    @Test
    void bothServiceEnvFilesLoadFromTheClasspath() {
        assertThat(ServiceEnv.load("accelerator").names()).contains("DP_CONTROL_PLANE_URL", "DP_SPOOL_DIR");
        assertThat(ServiceEnv.load("control-plane").names()).contains("DP_DB_URL", "DP_JWT_PRIVATE_KEY_FILE");
    }

    @Test
    void failsWithTheInstallHintWhenKubectlIsMissing() {
        assertThatThrownBy(() -> Kustomize.locate("/nonexistent/kubectl"))
                .hasMessageContaining("kubectl not found")
                .hasMessageContaining("install-kubectl.sh");
    }
}

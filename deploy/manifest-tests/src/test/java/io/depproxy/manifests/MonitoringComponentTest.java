package io.depproxy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/components/monitoring as an operator adds it to the prod overlay with one line (the test-only overlay
 * {@code overlays/prod-with-monitoring} of this module's test resources): a PodMonitor that scrapes both services, the
 * alert rules (each documented, each passing {@code promtool check rules} and a {@code promtool test rules} case), and
 * the Grafana dashboard as JSON in a ConfigMap the Grafana sidecar loads, every query of it valid PromQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringComponentTest {
    private static final String NAMESPACE = "dependency-proxy";
    private static final Set<String> ALERTS = Set.of("DependencyProxyUpstreamErrorRatioHigh",
            "DependencyProxyUpstreamRateLimitNearlySpent", "DependencyProxyObjectStoreUnavailable",
            "DependencyProxyDatabaseUnavailable", "DependencyProxyEdge5xxRatioHigh", "DependencyProxyHitRatioCollapsed");
    /** What the dashboard must show, as words of its panel titles. */
    private static final List<String> DASHBOARD_TOPICS = List.of("hit ratio", "bytes saved", "request rate by route",
            "latency by route", "upstream error", "rate limit remaining", "object store", "database", "active streams");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Manifests rendered = Manifests.parse("prod-with-monitoring",
            Kustomize.locate().build(testOverlays().resolve("prod-with-monitoring")));

    @TempDir
    Path work;

    @Test
    void addsTheRulesThePodMonitorAndTheDashboardToTheOverlaysNamespace() {
        assertThat(rendered.find("PrometheusRule", "dependency-proxy")).isPresent();
        assertThat(rendered.find("PodMonitor", "dependency-proxy")).isPresent();
        assertThat(rendered.find("ConfigMap", "dependency-proxy-grafana-dashboard")).isPresent();
        for (String kind : List.of("PrometheusRule", "PodMonitor")) {
            for (JsonNode object : rendered.ofKind(kind)) {
                assertThat(object.path("metadata").path("namespace").asText()).as(kind).isEqualTo(NAMESPACE);
                assertThat(object.path("apiVersion").asText()).as(kind).isEqualTo("monitoring.coreos.com/v1");
            }
        }
    }

    @Test
    void leavesTheProdOverlayFreeOfPrometheusOperatorObjects() {
        Manifests prod = Manifests.renderAll().stream().filter(m -> m.overlay().equals("prod")).findFirst()
                .orElseThrow();
        assertThat(prod.objects()).noneMatch(o -> o.path("apiVersion").asText().startsWith("monitoring.coreos.com/"));
    }

    @Test
    void scrapesBothServicesOnTheirMetricsPath() {
        JsonNode spec = rendered.find("PodMonitor", "dependency-proxy").orElseThrow().path("spec");
        JsonNode endpoint = spec.path("podMetricsEndpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/-/metrics");
        assertThat(rendered.deployments()).hasSize(2);
        for (JsonNode deployment : rendered.deployments()) {
            assertThat(Manifests.selects(spec.path("selector").path("matchLabels"), Manifests.podLabels(deployment)))
                    .as("the PodMonitor selects %s", Manifests.name(deployment)).isTrue();
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(stream(container.path("ports")).map(p -> p.path("name").asText()))
                    .as("%s names the scraped port", Manifests.name(deployment))
                    .contains(endpoint.path("port").asText());
        }
    }

    @Test
    void documentsEveryAlertInItsAnnotationsAndInTheDocs() throws IOException {
        String docs = Files.readString(Manifests.k8sDir().resolveSibling("docs").resolve("monitoring.md"));
        List<JsonNode> rules = rules();
        assertThat(rules).extracting(r -> r.path("alert").asText()).containsExactlyInAnyOrderElementsOf(ALERTS);
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("for").asText()).as("%s waits before firing", alert).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertThat(rule.path("annotations").path(annotation).asText()).as("%s %s", alert, annotation)
                        .isNotBlank();
            }
            assertThat(docs).as("docs/monitoring.md on %s", alert).contains("### " + alert);
        }
    }

    @Test
    void shipsTheDashboardAsGrafanaJsonForTheSidecar() throws IOException {
        JsonNode configMap = rendered.find("ConfigMap", "dependency-proxy-grafana-dashboard").orElseThrow();
        assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(configMap.path("data").properties()).hasSize(1);
        JsonNode dashboard = JSON.readTree(configMap.path("data").path("dependency-proxy.json").asText());

        assertThat(dashboard.path("uid").asText()).isEqualTo("dependency-proxy");
        List<JsonNode> panels = stream(dashboard.path("panels")).filter(p -> !p.path("type").asText().equals("row"))
                .toList();
        String titles = String.join("\n", panels.stream().map(p -> p.path("title").asText().toLowerCase()).toList());
        assertThat(titles).contains(DASHBOARD_TOPICS);
        for (JsonNode panel : panels) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(panel.path("title").asText()).isNotBlank();
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void passesPromtoolCheckRules() throws IOException {
        Promtool promtool = promtool();
        Path rules = writeRuleFile(false);

        Promtool.Result result = promtool.checkRules(rules);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void passesAPromtoolTestCasePerAlert() throws IOException {
        Promtool promtool = promtool();
        writeRuleFile(true);
        Path tests = work.resolve("alerts-test.yaml");
        Files.copy(Paths.get(testResources().toString(), "monitoring", "alerts-test.yaml"), tests);
        Set<String> firing = new TreeSet<>();
        for (JsonNode test : YAML.readTree(tests.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firing.add(check.path("alertname").asText());
                }
            }
        }
        assertThat(firing).as("alerts with a case where they fire").containsExactlyInAnyOrderElementsOf(ALERTS);

        Promtool.Result result = promtool.testRules(tests);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryParsesAsPromQl() throws IOException {
        Promtool promtool = promtool();
        JsonNode configMap = rendered.find("ConfigMap", "dependency-proxy-grafana-dashboard").orElseThrow();
        JsonNode dashboard = JSON.readTree(configMap.path("data").path("dependency-proxy.json").asText());
        // each query as a recording rule, with Grafana's variables replaced by what Grafana would put there
        ObjectNode file = JSON.createObjectNode();
        ObjectNode group = file.putArray("groups").addObject().put("name", "dashboard-queries");
        ArrayNode records = group.putArray("rules");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                records.addObject().put("record", "dashboard_query_" + records.size())
                        .put("expr", target.path("expr").asText().replace("$__rate_interval", "5m")
                                .replace("$__range", "6h").replace("$namespace", ".*"));
            }
        }
        Path queries = work.resolve("dashboard-queries.yaml");
        YAML.writeValue(queries.toFile(), file);

        Promtool.Result result = promtool.checkRules(queries);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + records.size() + " rules found");
    }

    private List<JsonNode> rules() {
        JsonNode rule = rendered.find("PrometheusRule", "dependency-proxy").orElseThrow();
        return stream(rule.path("spec").path("groups")).flatMap(g -> stream(g.path("rules"))).toList();
    }

    /**
     * The rendered PrometheusRule's groups as a Prometheus rule file. {@code forUnitTests}: without the long static
     * {@code description} and {@code runbook} annotations, which promtool's cases would otherwise have to repeat word
     * for word (the expressions, durations, labels and templated summaries stay as shipped).
     */
    private Path writeRuleFile(boolean forUnitTests) throws IOException {
        JsonNode rule = rendered.find("PrometheusRule", "dependency-proxy").orElseThrow();
        ObjectNode file = JSON.createObjectNode();
        ArrayNode groups = file.putArray("groups");
        groups.addAll((ArrayNode) rule.path("spec").path("groups").deepCopy());
        if (forUnitTests) {
            for (JsonNode group : groups) {
                for (JsonNode each : group.path("rules")) {
                    ((ObjectNode) each.path("annotations")).remove(List.of("description", "runbook"));
                }
            }
        }
        // alerts-test.yaml names rules.yaml
        Path rules = work.resolve(forUnitTests ? "rules.yaml" : "rules-as-shipped.yaml");
        YAML.writeValue(rules.toFile(), file);
        return rules;
    }

    private static Promtool promtool() {
        Promtool promtool = Promtool.locate().orElse(null);
        Assumptions.assumeTrue(promtool != null, "promtool not found, the alert rules are not checked: "
                + Promtool.INSTALL_HINT);
        return promtool;
    }

    private static Path testResources() {
        return Paths.get(System.getProperty("dp.testResources", "src/test/resources")).toAbsolutePath().normalize();
    }

    private static Path testOverlays() {
        return testResources().resolve("overlays");
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}

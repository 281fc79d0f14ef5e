package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped dashboard and alert rules (k8s/components/monitoring) ask for series the services really export: after
 * skopeo pulls through the whole stack from two real registries (one sending Docker Hub's rate-limit headers), once
 * cold and once cached, every metric name in a dashboard query or a rule expression is in the accelerator's or the
 * control plane's {@code /-/metrics}. A renamed metric or a typo in a query fails here, not on an operator's screen.
 */
class MonitoringContractIT {
    private static final String LIMITED = "limited.e2e";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A PromQL string literal: label values and regexes, never metric names. */
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    /** A name followed by a label matcher or a range: a metric selector. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:$])([a-zA-Z_:][\\w:]*)\\s*[{\\[]");
    /** Our own metric prefixes, wherever they stand (a bare gauge in a comparison, label_values(...)). */
    private static final Pattern OURS = Pattern.compile("\\b((?:accel|dp)_[a-z0-9_]+)\\b");
    private static final Pattern EXPR_LINE = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");
    private static final List<String> SERIES_SUFFIXES = List.of("", "_total", "_bucket", "_sum", "_count");

    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry plain;
    private static UpstreamRegistry limited;
    private static ProxyStack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        plain = e2e.upstream("plain");
        limited = e2e.upstream(UpstreamRegistry.withResponseHeaders(e2e.dir("limited"),
                Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "76;w=21600")));
        stack = e2e.stack(Map.of("DP_UPSTREAM_URL", plain.url()));
        stack.addUpstream(Map.of("name", LIMITED, "url", limited.url()));
    }

    @Test
    void everyMetricTheDashboardAndTheRulesNameIsExported() throws Exception {
        e2e.pushImage(plain, "app" + ":v1", 1, 1_000, 64 * 1024);
        e2e.pushImage(limited, "team/app" + ":v1", 2, 1_000, 64 * 1024);
        stack.createGroup("monitoring");
        String containers = stack.hostPort() + "/monitoring/dependency_proxy/containers/";
        for (String pass : List.of("cold", "cached")) {
            Skopeo.pull(containers + "app:v1", CREDS, e2e.dir("plain-" + pass))
                    .assertSuccess(List.of("pull from the default upstream, " + pass));
            Skopeo.pull(containers + LIMITED + "/team/app:v1", CREDS, e2e.dir("limited-" + pass))
                    .assertSuccess(List.of("pull from " + LIMITED + ", " + pass));
        }

        Set<String> exported = new TreeSet<>();
        exported.addAll(seriesNames(scrape(stack.url() + "/-/metrics")));
        exported.addAll(seriesNames(scrape("http://127.0.0.1:" + stack.controlPlanePort() + "/-/metrics")));
        Map<String, String> named = new TreeMap<>();
        Path component = k8sDir().resolve("components/monitoring");
        dashboardQueries(component.resolve("dashboard.json")).forEach(q -> metricNames(q)
                .forEach(name -> named.putIfAbsent(name, "dashboard: " + q.strip())));
        ruleExpressions(component.resolve("prometheusrule.yaml")).forEach(e -> metricNames(e)
                .forEach(name -> named.putIfAbsent(name, "rule: " + e.strip())));

        assertThat(named).as("metric names found in the dashboard and the rules").containsKeys(
                "accel_http_requests_total", "dp_cache_decisions_total", "http_server_requests_seconds_sum",
                "dp_storage_up", "accel_upstream_requests_total");
        Map<String, String> missing = new TreeMap<>(named);
        missing.keySet().removeIf(name -> SERIES_SUFFIXES.stream().anyMatch(s -> exported.contains(name + s)));
        assertThat(missing).as("named by the dashboard or a rule but exported by neither service"
                + " (name -> first query naming it)").isEmpty();
    }

    /** Every name that a PromQL expression selects. */
    static Set<String> metricNames(String promql) {
        String unquoted = QUOTED.matcher(promql).replaceAll("\"\"");
        Set<String> names = new TreeSet<>();
        Matcher selector = SELECTOR.matcher(unquoted);
        while (selector.find()) {
            names.add(selector.group(1));
        }
        Matcher ours = OURS.matcher(unquoted);
        while (ours.find()) {
            names.add(ours.group(1));
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition. */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** Every panel target's {@code expr} and every templating query of a Grafana dashboard. */
    private static List<String> dashboardQueries(Path dashboard) throws IOException {
        List<String> queries = new ArrayList<>();
        JsonNode root = JSON.readTree(dashboard.toFile());
        for (JsonNode panel : root.path("panels")) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        for (JsonNode variable : root.path("templating").path("list")) {
            if (variable.path("query").has("query")) {
                queries.add(variable.path("query").path("query").asText());
            }
        }
        return queries;
    }

    /** The {@code expr} of every rule in a PrometheusRule manifest: a one-line value or an indented block. */
    private static List<String> ruleExpressions(Path rules) throws IOException {
        List<String> lines = Files.readAllLines(rules, StandardCharsets.UTF_8);
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher expr = EXPR_LINE.matcher(lines.get(i));
            if (!expr.matches()) {
                continue;
            }
            String value = expr.group(2).strip();
            if (!value.startsWith("|") && !value.startsWith(">")) {
                expressions.add(value);
                continue;
            }
            int indent = expr.group(1).length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || indentOf(lines.get(i + 1)) > indent)) {
                block.append(lines.get(++i)).append('\n');
            }
            expressions.add(block.toString());
        }
        assertThat(expressions).as("rule expressions in " + rules).isNotEmpty();
        return expressions;
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static String scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static Path k8sDir() {
        return Path.of(System.getProperty("dp.k8sDir", "../../k8s")).toAbsolutePath().normalize();
    }
}

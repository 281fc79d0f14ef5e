package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call of {@link UpstreamHttp} is counted under the upstream's name by outcome (a 429 apart, a refused
 * destination apart), timed, and the rate-limit headers of its answers (Docker Hub's format) become the gauges.
 */
class UpstreamHttpMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UpstreamHttp http = new UpstreamHttp(new OutboundDestinations(new OutboundPolicy(AllowList.NONE,
            OwnServices.NONE, Resolver.SYSTEM)), new UpstreamMetrics(registry));
    private HttpServer server;
    private Origin origin;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                int status = switch (path) {
                    case "/limited" -> 429;
                    case "/missing" -> 404;
                    case "/denied" -> 403;
                    case "/broken" -> 502;
                    default -> 200;
                };
                if (!path.equals("/plain")) {
                    exchange.getResponseHeaders().set("ratelimit-limit", "100;w=21600");
                    exchange.getResponseHeaders().set("ratelimit-remaining", path.equals("/limited") ? "0;w=21600"
                            : "76;w=21600");
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
        origin = Origin.of(base());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void callsAreCountedByUpstreamNameAndOutcomeWithTheRateLimitAsGauges() {
        assertThat(http.head("docker.io", origin, uri("/ok"), Map.of()).status()).isEqualTo(200);
        assertThat(gauge("dp_upstream_ratelimit_remaining", "docker.io")).isEqualTo(76);
        assertThat(http.get("docker.io", origin, uri("/limited"), Map.of()).status()).isEqualTo(429);
        assertThat(gauge("dp_upstream_ratelimit_remaining", "docker.io")).isZero();
        http.head("docker.io", origin, uri("/missing"), Map.of());
        http.head("docker.io", origin, uri("/denied"), Map.of());
        http.head("docker.io", origin, uri("/broken"), Map.of());
        http.head("quay.io", origin, uri("/plain"), Map.of());

        assertThat(count("docker.io", "ok")).isEqualTo(1);
        assertThat(count("docker.io", "rate_limited")).isEqualTo(1);
        assertThat(count("docker.io", "not_found")).isEqualTo(1);
        assertThat(count("docker.io", "unauthorized")).isEqualTo(1);
        assertThat(count("docker.io", "http_error")).isEqualTo(1);
        assertThat(count("quay.io", "ok")).isEqualTo(1);
        assertThat(count("quay.io", "rate_limited")).isZero();
        assertThat(registry.get("dp_upstream_latency_seconds").tag("upstream", "docker.io").timer().count())
                .isEqualTo(5);
        assertThat(gauge("dp_upstream_ratelimit_limit", "docker.io")).isEqualTo(100);
        assertThat(gauge("dp_upstream_ratelimit_remaining", "docker.io")).as("the last answer's").isEqualTo(76);
        assertThat(registry.find("dp_upstream_ratelimit_limit").tag("upstream", "quay.io").gauge()).isNull();
    }

    @Test
    void aRefusedDestinationAndAnUnreachableOneHaveTheirOwnOutcomes() throws IOException {
        assertThatThrownBy(() -> http.get("docker.io", Origin.of("http://169.254.169.254"),
                URI.create("http://169.254.169.254/v2/"), Map.of())).isInstanceOf(UpstreamDestinationRefused.class);
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String closed = "http://127.0.0.1:" + closedPort;
        assertThatThrownBy(() -> http.get("docker.io", Origin.of(closed), URI.create(closed + "/v2/"), Map.of()))
                .isInstanceOf(UpstreamException.class);

        assertThat(count("docker.io", "refused")).isEqualTo(1);
        assertThat(count("docker.io", "failed")).isEqualTo(1);
        assertThat(count("docker.io", "ok")).isZero();
    }

    private double count(String upstream, String outcome) {
        return registry.get("dp_upstream_requests_total").tag("upstream", upstream).tag("outcome", outcome).counter()
                .count();
    }

    private double gauge(String name, String upstream) {
        return registry.get(name).tag("upstream", upstream).gauge().value();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private URI uri(String path) {
        return URI.create(base() + path);
    }
}

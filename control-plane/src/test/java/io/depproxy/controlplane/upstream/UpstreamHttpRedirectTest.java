package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Upstream credentials never follow a redirect to another scheme, host or port. */
class UpstreamHttpRedirectTest {

    @Test
    void anOriginIsSchemeHostAndPort() {
        URI https = URI.create("https://registry.example/v2/x");
        assertThat(OutboundCredentials.mayFollow(https, URI.create("https://REGISTRY.example:443/v2/y"))).isTrue();
        assertThat(OutboundCredentials.mayFollow(https, URI.create("http://registry.example/v2/x"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(https, URI.create("http://registry.example:443/v2/x"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(https, URI.create("https://registry.example:8443/v2/x"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(https, URI.create("https://cdn.example/v2/x"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(URI.create("http://h/a"), URI.create("http://h:80/b"))).isTrue();
    }

    @Test
    void credentialsAreDroppedOnARedirectToAnotherPortAndKeptOnTheSameOrigin() throws IOException {
        AtomicReference<String> seenElsewhere = new AtomicReference<>("not asked");
        AtomicReference<String> seenHere = new AtomicReference<>("not asked");
        HttpServer other = server();
        other.createContext("/", exchange -> {
            seenElsewhere.set(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        HttpServer origin = server();
        String otherBase = "http://127.0.0.1:" + other.getAddress().getPort();
        origin.createContext("/away", exchange -> {
            exchange.getResponseHeaders().add("Location", otherBase + "/landed");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        origin.createContext("/near", exchange -> {
            exchange.getResponseHeaders().add("Location", "/here");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        origin.createContext("/here", exchange -> {
            seenHere.set(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        try {
            String base = "http://127.0.0.1:" + origin.getAddress().getPort();
            Map<String, String> credentials = Map.of("Authorization", "Basic dXNlcjpzZWNyZXQ=");
            // the other port is loopback: reached only because DP_OUTBOUND_ALLOW names it
            UpstreamHttp http = new UpstreamHttp(new OutboundDestinations(new OutboundPolicy(
                    AllowList.parse("127.0.0.1:" + other.getAddress().getPort()), OwnServices.NONE, Resolver.SYSTEM)));
            Origin upstream = Origin.of(base);

            assertThat(http.head(upstream, URI.create(base + "/away"), credentials).status()).isEqualTo(200);
            assertThat(seenElsewhere.get()).isEqualTo("null");
            assertThat(http.head(upstream, URI.create(base + "/near"), credentials).status()).isEqualTo(200);
            assertThat(seenHere.get()).isEqualTo("Basic dXNlcjpzZWNyZXQ=");
        } finally {
            origin.stop(0);
            other.stop(0);
        }
    }

    private static HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
        return server;
    }
}

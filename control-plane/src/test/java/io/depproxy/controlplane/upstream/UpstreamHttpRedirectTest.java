package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
        assertThat(UpstreamHttp.sameOrigin(https, URI.create("https://REGISTRY.example:443/v2/y"))).isTrue();
        assertThat(UpstreamHttp.sameOrigin(https, URI.create("http://registry.example/v2/x"))).isFalse();
        assertThat(UpstreamHttp.sameOrigin(https, URI.create("http://registry.example:443/v2/x"))).isFalse();
        assertThat(UpstreamHttp.sameOrigin(https, URI.create("https://registry.example:8443/v2/x"))).isFalse();
        assertThat(UpstreamHttp.sameOrigin(https, URI.create("https://cdn.example/v2/x"))).isFalse();
        assertThat(UpstreamHttp.sameOrigin(URI.create("http://h/a"), URI.create("http://h:80/b"))).isTrue();
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
            UpstreamHttp http = new UpstreamHttp();

            assertThat(http.head(URI.create(base + "/away"), credentials).status()).isEqualTo(200);
            assertThat(seenElsewhere.get()).isEqualTo("null");
            assertThat(http.head(URI.create(base + "/near"), credentials).status()).isEqualTo(200);
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

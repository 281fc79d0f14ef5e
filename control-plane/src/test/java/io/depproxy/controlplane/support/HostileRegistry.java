package io.depproxy.controlplane.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An upstream registry on 127.0.0.1:0 that tries to send the proxy elsewhere: every manifest or blob request is
 * redirected to {@link #redirectTo} (when set), and {@code GET /v2/} challenges with a Bearer realm of the test's
 * choosing (when set). {@code /token} hands out a token. Every request is recorded with its Authorization header. Also
 * a plain target: whatever else is asked answers 200 with a secret text.
 */
public final class HostileRegistry implements AutoCloseable {
    public static final String SECRET = "internal-secret-text";

    /** One request as it arrived. */
    public record Seen(String method, String path, String authorization, String host) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private volatile String redirect;
    private volatile String realm;

    private HostileRegistry(HttpServer server) {
        this.server = server;
    }

    public static HostileRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            HostileRegistry registry = new HostileRegistry(server);
            server.createContext("/", registry::handle);
            server.setExecutor(registry.executor);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the hostile registry", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Manifest and blob requests answer 307 to {@code location} (null: 404). */
    public HostileRegistry redirectTo(String location) {
        this.redirect = location;
        return this;
    }

    /** {@code GET /v2/} answers 401 with a Bearer challenge naming {@code realmUrl} (null: 200). */
    public HostileRegistry challengeWithRealm(String realmUrl) {
        this.realm = realmUrl;
        return this;
    }

    public List<Seen> requests() {
        return List.copyOf(requests);
    }

    public List<Seen> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Seen(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Host")));
            if (path.equals("/v2/")) {
                if (realm != null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate",
                            "Bearer realm=\"" + realm + "\",service=\"hostile\"");
                    send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                } else {
                    send(exchange, 200, "{}");
                }
            } else if (path.endsWith("/token")) {
                send(exchange, 200, "{\"token\":\"hostile-token\",\"expires_in\":300}");
            } else if (path.startsWith("/v2/") && (path.contains("/manifests/") || path.contains("/blobs/"))) {
                if (redirect == null) {
                    send(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
                } else {
                    exchange.getResponseHeaders().set("Location", redirect);
                    exchange.sendResponseHeaders(307, -1);
                }
            } else {
                send(exchange, 200, SECRET);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

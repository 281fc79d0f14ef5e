package io.depproxy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OCI 1.1 registry made of a real docker-registry (distribution 2.8, which has no referrers API) and this front:
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=]} answers the index a test gave for that subject (filtered,
 * with {@code OCI-Filters-Applied}, as the spec says); every other request, and a subject nobody gave an index for,
 * goes to the registry behind as it came. No such registry (zot, distribution 3) is installable here.
 */
final class ReferrersFront implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RELAYED_ANSWER_HEADERS = List.of("Content-Type", "Docker-Content-Digest",
            "WWW-Authenticate", "Location", "Docker-Distribution-Api-Version");

    private final String behind;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, JsonNode> indexes = new ConcurrentHashMap<>();

    ReferrersFront(String behindUrl) throws IOException {
        this.behind = behindUrl;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The referrers API answers {@code index} for {@code name}'s subject {@code digest}. */
    void referrers(String name, String digest, JsonNode index) {
        indexes.put("/v2/" + name + "/referrers/" + digest, index);
    }

    /** What this upstream's referrers API answers itself, for comparison: the (filtered) index and the header. */
    static JsonNode filtered(JsonNode index, String artifactType) {
        if (artifactType == null) {
            return index;
        }
        ObjectNode copy = index.deepCopy();
        ArrayNode kept = copy.putArray("manifests");
        index.path("manifests").forEach(entry -> {
            if (artifactType.equals(entry.path("artifactType").asText())) {
                kept.add(entry);
            }
        });
        return copy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode index = indexes.get(exchange.getRequestURI().getRawPath());
            if (index != null && exchange.getRequestMethod().equals("GET")) {
                String artifactType = artifactType(exchange.getRequestURI().getRawQuery());
                if (artifactType != null) {
                    exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
                }
                exchange.getResponseHeaders().set("Content-Type", OciImageLayout.INDEX);
                send(exchange, 200, JSON.writeValueAsBytes(filtered(index, artifactType)));
                return;
            }
            relay(exchange);
        }
    }

    private void relay(HttpExchange exchange) throws IOException {
        URI target = URI.create(behind + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        for (String name : List.of("Accept", "Authorization")) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values != null) {
                values.forEach(value -> request.header(name, value));
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String name : RELAYED_ANSWER_HEADERS) {
            answer.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().set(name, value));
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            answer.headers().firstValue("Content-Length")
                    .ifPresent(value -> exchange.getResponseHeaders().set("Content-Length", value));
            exchange.sendResponseHeaders(answer.statusCode(), -1);
            return;
        }
        send(exchange, answer.statusCode(), answer.body());
    }

    private static String artifactType(String rawQuery) {
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            if (pair.startsWith("artifactType=")) {
                return URLDecoder.decode(pair.substring("artifactType=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package io.depproxy.controlplane.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small upstream registry on 127.0.0.1:0 with Docker-Hub-style token auth: {@code GET /v2/} challenges with a
 * Bearer realm, {@code /token} wants HTTP Basic {@value #USERNAME}/{@value #PASSWORD}. Each test uses its own
 * repository names, so state never leaks between tests.
 */
public final class FakeRegistry implements AutoCloseable {
    public static final String USERNAME = "upstream-user";
    public static final String PASSWORD = "upstream-pass";
    private static final Pattern OBJECT = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private record Manifest(String contentType, byte[] bytes, String digest) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> referrers = new ConcurrentHashMap<>();
    private final Map<String, String> blobTypes = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCounter = new AtomicInteger();
    private final Map<String, String> extraCredentials = new ConcurrentHashMap<>();
    private final List<String> tokenUsers = new CopyOnWriteArrayList<>();
    private volatile String[] rateLimit;

    private FakeRegistry(HttpServer server) {
        this.server = server;
    }

    public static FakeRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeRegistry registry = new FakeRegistry(server);
            server.createContext("/", registry::handle);
            server.setExecutor(registry.executor);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake registry", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code bytes} as {@code name:tag} and by digest; returns the digest. */
    public String putManifest(String name, String tag, String contentType, byte[] bytes) {
        String digest = Digests.sha256(bytes);
        Manifest manifest = new Manifest(contentType, bytes, digest);
        manifests.put(name + ":" + tag, manifest);
        manifests.put(name + ":" + digest, manifest);
        return digest;
    }

    /**
     * Answers {@code GET /v2/<name>/referrers/<digest>} with {@code index} (an OCI 1.1 registry's referrers API);
     * without one, that path is a 404 as on a registry that has no such API.
     */
    public void putReferrers(String name, String digest, byte[] index) {
        referrers.put(name + ":" + digest, index);
    }

    public String putBlob(String name, byte[] bytes) {
        return putBlob(name, bytes, "application/octet-stream");
    }

    /** As {@link #putBlob(String, byte[])}, served with {@code contentType} (what a careless or hostile one sends). */
    public String putBlob(String name, byte[] bytes, String contentType) {
        String digest = Digests.sha256(bytes);
        blobs.put(name + ":" + digest, bytes);
        blobTypes.put(name + ":" + digest, contentType);
        return digest;
    }

    /** Every request for repository {@code name} answers {@code status} (0 = back to normal). */
    public void failRepository(String name, int status) {
        if (status == 0) {
            failures.remove(name);
        } else {
            failures.put(name, status);
        }
    }

    /** {@code "METHOD /path"} of every request for repository {@code name}, in order. */
    public List<String> requestsFor(String name) {
        String prefix = "/v2/" + name + "/";
        return requests.stream().filter(r -> r.substring(r.indexOf(' ') + 1).startsWith(prefix)).toList();
    }

    /**
     * Manifest answers (HEAD and GET, errors included) carry Docker Hub's rate-limit headers with these values, such
     * as {@code 100;w=21600}; null values: none.
     */
    public void sendRateLimit(String limit, String remaining) {
        rateLimit = limit == null ? null : new String[] {limit, remaining};
    }

    /** Forgets every issued token: the next request with an old one gets 401. */
    public void revokeTokens() {
        tokens.clear();
    }

    public int tokensIssued() {
        return tokenCounter.get();
    }

    /** The token endpoint also accepts these Basic credentials (a group's own upstream credentials). */
    public void allowCredentials(String username, String password) {
        extraCredentials.put(username, password);
    }

    /** The Basic username of every token request, in order ({@code anonymous} without credentials). */
    public List<String> tokenRequestUsernames() {
        return List.copyOf(tokenUsers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            if (path.equals("/token")) {
                token(exchange);
            } else if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"" + baseUrl() + "/token\",service=\"fake-registry\"");
                send(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes());
            } else if (path.equals("/v2/")) {
                send(exchange, 200, "application/json", "{}".getBytes());
            } else {
                object(exchange, path);
            }
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        String[] basic = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
        tokenUsers.add(basic == null ? "anonymous" : basic[0]);
        boolean valid = basic != null && ((USERNAME.equals(basic[0]) && PASSWORD.equals(basic[1]))
                || basic[1].equals(extraCredentials.get(basic[0])));
        String query = exchange.getRequestURI().getRawQuery();
        String decoded = query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8);
        // a pull names its repository; a bare login (the connection test) asks with an empty scope
        if (!valid || !(decoded.contains("scope=repository:") || decoded.endsWith("scope="))) {
            send(exchange, 401, "application/json", "{\"details\":\"bad credentials\"}".getBytes());
            return;
        }
        String token = "tok-" + tokenCounter.incrementAndGet();
        tokens.add(token);
        send(exchange, 200, "application/json",
                ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") && tokens.contains(header.substring(7));
    }

    private void object(HttpExchange exchange, String path) throws IOException {
        Matcher tags = TAGS.matcher(path);
        if (tags.matches()) {
            tagList(exchange, tags.group(1));
            return;
        }
        Matcher referrersPath = REFERRERS.matcher(path);
        byte[] index = referrersPath.matches() ? referrers.get(referrersPath.group(1) + ":" + referrersPath.group(2))
                : null;
        if (index != null && !failures.containsKey(referrersPath.group(1))) {
            send(exchange, 200, "application/vnd.oci.image.index.v1+json", index);
            return;
        }
        Matcher matcher = OBJECT.matcher(path);
        if (!matcher.matches()) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes());
            return;
        }
        String name = matcher.group(1);
        String[] limits = rateLimit;
        if (limits != null && matcher.group(2).equals("manifests")) {
            exchange.getResponseHeaders().set("ratelimit-limit", limits[0]);
            exchange.getResponseHeaders().set("ratelimit-remaining", limits[1]);
        }
        Integer failure = failures.get(name);
        if (failure != null) {
            send(exchange, failure, "application/json", "{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}".getBytes());
            return;
        }
        String key = name + ":" + matcher.group(3);
        if (matcher.group(2).equals("manifests") && manifests.containsKey(key)) {
            Manifest manifest = manifests.get(key);
            exchange.getResponseHeaders().set("Docker-Content-Digest", manifest.digest());
            send(exchange, 200, manifest.contentType(), manifest.bytes());
        } else if (matcher.group(2).equals("blobs") && blobs.containsKey(key)) {
            exchange.getResponseHeaders().set("Docker-Content-Digest", matcher.group(3));
            send(exchange, 200, blobTypes.getOrDefault(key, "application/octet-stream"), blobs.get(key));
        } else {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes());
        }
    }

    /** The repository's tags in lexical order, paginated by {@code n} and {@code last} as distribution does. */
    private void tagList(HttpExchange exchange, String name) throws IOException {
        Integer failure = failures.get(name);
        if (failure != null) {
            send(exchange, failure, "application/json", "{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}".getBytes());
            return;
        }
        List<String> all = manifests.keySet().stream().filter(key -> key.startsWith(name + ":"))
                .map(key -> key.substring(name.length() + 1)).filter(tag -> !tag.startsWith("sha256:")).sorted().toList();
        if (all.isEmpty()) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes());
            return;
        }
        Map<String, String> query = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        String last = query.get("last");
        List<String> after = all.stream().filter(tag -> last == null || tag.compareTo(last) > 0).toList();
        int n = query.containsKey("n") ? Integer.parseInt(query.get("n")) : after.size();
        List<String> page = after.subList(0, Math.min(n, after.size()));
        if (page.size() < after.size()) {
            exchange.getResponseHeaders().set("Link", "</v2/" + name + "/tags/list?last=" + page.get(page.size() - 1)
                    + "&n=" + n + ">; rel=\"next\"");
        }
        String tagsJson = String.join(",", page.stream().map(tag -> "\"" + tag + "\"").toList());
        send(exchange, 200, "application/json",
                ("{\"name\":\"" + name + "\",\"tags\":[" + tagsJson + "]}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
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

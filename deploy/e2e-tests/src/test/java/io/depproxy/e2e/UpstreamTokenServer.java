package io.depproxy.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker-Hub-style token service for a distribution registry with {@code auth.token}: {@code GET /token} with
 * HTTP Basic {@code username}/{@code password} answers an RS256 JWT granting the scopes asked for, signed by a
 * self-signed certificate (openssl) sent in the {@code x5c} header, which the registry trusts as its root bundle.
 */
final class UpstreamTokenServer implements AutoCloseable {
    static final String SERVICE = "e2e-token-service";
    static final String ISSUER = "e2e-token-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final PrivateKey key;
    private final String certificate;
    private final Path certificateFile;
    private final String username;
    private final String password;
    private final AtomicInteger issued = new AtomicInteger();

    UpstreamTokenServer(Path dir, String username, String password) throws Exception {
        Files.createDirectories(dir);
        this.certificateFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        ExternalCommand.requireOnPath("openssl");
        ExternalCommand.succeed(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=e2e-token", "-keyout", keyFile.toString(), "-out", certificateFile.toString()));
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyFile)));
        this.certificate = Base64.getEncoder().encodeToString(pemBody(certificateFile));
        this.username = username;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificateFile() {
        return certificateFile;
    }

    int tokensIssued() {
        return issued.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"details\":\"bad credentials\"}");
                return;
            }
            send(exchange, 200, JSON.writeValueAsString(Map.of("token", jwt(scopes(exchange)), "expires_in", 300)));
        } catch (GeneralSecurityException e) {
            send(exchange, 500, "{\"details\":\"cannot sign\"}");
        }
    }

    /** Grants every {@code repository:<name>:<actions>} scope asked for. */
    private static List<Map<String, Object>> scopes(HttpExchange exchange) {
        List<Map<String, Object>> access = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String value = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
            String[] parts = value.split(":");
            if (pair.startsWith("scope=") && parts.length == 3 && parts[0].equals("repository")) {
                access.add(Map.of("type", "repository", "name", parts[1], "actions", List.of(parts[2].split(","))));
            }
        }
        return access;
    }

    private String jwt(List<Map<String, Object>> access) throws IOException, GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "x5c", List.of(certificate));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", username);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + url.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        issued.incrementAndGet();
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    private static byte[] pemBody(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.depproxy.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A registry client at the HTTP level, for what skopeo cannot show: HEAD requests and concurrent pulls. */
final class RegistryHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token;

    RegistryHttp(String baseUrl, String username, String password) throws IOException, InterruptedException {
        this(baseUrl, token(baseUrl, username, password));
    }

    /** A client presenting a registry token obtained elsewhere (another replica, for instance). */
    RegistryHttp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Logs in at {@code baseUrl}'s token endpoint and answers the registry token. */
    static String token(String baseUrl, String username, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/jwt/auth?service=dependency_proxy"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("token request: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("token").asText();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .header("Accept", String.join(",", io.depproxy.contracts.MediaTypes.MANIFEST_TYPES));
    }

    HttpResponse<Void> head(String path) throws IOException, InterruptedException {
        return http.send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), handler);
    }

    /** The body of a GET of {@code path}; fails, showing the answer, unless it is a 200. */
    byte[] served(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = get(path, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new AssertionError(path + ": " + answer.statusCode() + " "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer.body();
    }
}

package io.depproxy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API (GitLab's /api/v4 shape) as the bootstrap administrator calls it, at one service's base URL. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    AdminApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Calls {@code /api/v4<path>} with a JSON body (or none); fails unless the status is 2xx; the parsed answer. */
    JsonNode call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v4" + path))
                .timeout(Duration.ofSeconds(30)).header("PRIVATE-TOKEN", token)
                .header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isBlank() ? null : JSON.readTree(response.body());
    }

    /** Creates a top-level group with a form body (as GitLab's API also accepts) and answers its id. */
    long createGroup(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v4/groups"))
                .timeout(Duration.ofSeconds(30)).header("PRIVATE-TOKEN", token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + path + "&path=" + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new AssertionError("creating group " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asLong();
    }
}

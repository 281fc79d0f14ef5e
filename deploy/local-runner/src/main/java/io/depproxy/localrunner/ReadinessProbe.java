package io.depproxy.localrunner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What "ready" means for a {@link ChildProcess}: a service's readiness route answering 200, a server accepting TCP
 * connections, a socket file appearing, a line in its log. Asked again and again until it answers true; a probe
 * never throws (not reachable yet is simply false).
 */
@FunctionalInterface
public interface ReadinessProbe {

    /** The readiness route both services serve. */
    String READY_PATH = "/-/health/ready";

    boolean ready();

    /** {@code GET <baseUrl>/-/health/ready} answers 200. */
    static ReadinessProbe healthReady(String baseUrl) {
        return httpOk(URI.create(baseUrl + READY_PATH));
    }

    /** {@code GET uri} answers 200. */
    static ReadinessProbe httpOk(URI uri) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        return () -> {
            try {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /** Something accepts TCP connections on 127.0.0.1:{@code port}. */
    static ReadinessProbe listening(int port) {
        return () -> FreePorts.answers(port);
    }

    /** {@code file} exists (a Unix socket, a pid file). */
    static ReadinessProbe fileExists(Path file) {
        return () -> Files.exists(file);
    }

    /** {@code log} holds {@code text} after its first {@code fromChar} characters (what an earlier run wrote). */
    static ReadinessProbe logContains(Path log, int fromChar, String text) {
        return () -> {
            try {
                String written = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                return written.length() > fromChar && written.substring(fromChar).contains(text);
            } catch (IOException notYet) {
                return false;
            }
        };
    }
}

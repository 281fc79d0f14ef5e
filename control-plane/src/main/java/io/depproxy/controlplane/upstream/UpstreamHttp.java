package io.depproxy.controlplane.upstream;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocking HTTP to the upstream (connect 10 s, whole request 30 s). Redirects are followed here, at most 5, and
 * {@code Authorization} is dropped as soon as one leads to another scheme, host or port (Docker Hub sends blobs to a
 * CDN; an https→http hop on the same host must not carry credentials in clear either).
 */
@Singleton
public class UpstreamHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_BODY = 64 * 1024;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** The final answer: status, headers, and (for GET) a small text body. */
    public record Result(int status, java.net.http.HttpHeaders headers, String body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Result head(URI uri, Map<String, String> headers) {
        return exchange("HEAD", uri, headers, MAX_BODY, false);
    }

    /** A GET whose body is small text (tokens, challenges); longer bodies are cut off. */
    public Result get(URI uri, Map<String, String> headers) {
        return exchange("GET", uri, headers, MAX_BODY, false);
    }

    /** A GET of a text body of at most {@code maxBody} bytes; a longer one is an {@link UpstreamException}. */
    public Result get(URI uri, Map<String, String> headers, int maxBody) {
        return exchange("GET", uri, headers, maxBody, true);
    }

    private Result exchange(String method, URI start, Map<String, String> headers, int maxBody, boolean strict) {
        URI uri = start;
        Map<String, String> current = new LinkedHashMap<>(headers);
        for (int hop = 0; ; hop++) {
            HttpResponse<String> response = send(method, uri, current, maxBody, strict);
            String location = response.headers().firstValue("Location").orElse(null);
            if (!isRedirect(response.statusCode()) || location == null || hop >= MAX_REDIRECTS) {
                return new Result(response.statusCode(), response.headers(), response.body());
            }
            URI next = uri.resolve(location);
            if (!sameOrigin(uri, next)) {
                current.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization"));
            }
            uri = next;
        }
    }

    private HttpResponse<String> send(String method, URI uri, Map<String, String> headers, int maxBody,
                                      boolean strict) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), info -> HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofByteArray(), bytes -> text(bytes, maxBody, strict)));
            if (response.body() == null) {
                throw new UpstreamException(method + " " + redact(uri) + " answered more than " + maxBody + " bytes");
            }
            return response;
        } catch (HttpTimeoutException e) {
            throw new UpstreamException(method + " " + redact(uri) + " timed out", e);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UpstreamException(method + " " + redact(uri) + " failed: " + reason, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(method + " " + redact(uri) + " interrupted", e);
        }
    }

    /** The body as text, cut at {@code maxBody}; null when it is longer and {@code strict}. */
    private static String text(byte[] bytes, int maxBody, boolean strict) {
        if (strict && bytes.length > maxBody) {
            return null;
        }
        int length = Math.min(bytes.length, maxBody);
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Same scheme, host and port (an absent port is the scheme's default). */
    static boolean sameOrigin(URI from, URI to) {
        return from.getScheme() != null && from.getScheme().equalsIgnoreCase(to.getScheme())
                && from.getHost() != null && from.getHost().equalsIgnoreCase(to.getHost())
                && effectivePort(from) == effectivePort(to);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** URLs without their query (presigned CDN URLs carry signatures). */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}

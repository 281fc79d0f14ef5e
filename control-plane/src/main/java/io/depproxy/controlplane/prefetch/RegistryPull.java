package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.UpstreamClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Pulls through the accelerator as a client would, with a registry token of the job's creator: the miss path
 * (coalesced with the clients' own pulls, verified, recorded) does the caching; this only asks and counts.
 */
final class RegistryPull {
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    private static final int BUFFER = 256 * 1024;

    /** A manifest as the registry answered it, and its digest (of the bytes answered). */
    record Manifest(String mediaType, JsonNode body, String digest) {
        boolean isIndex() {
            return body.has("manifests");
        }
    }

    /** What the registry answered instead of the content (its status and error message). */
    static final class PullFailure extends Exception {
        PullFailure(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final String repositoryUrl;
    private final String bearer;

    RegistryPull(HttpClient http, ObjectMapper json, String pullUrl, String groupPath, String image, String token) {
        this.http = http;
        this.json = json;
        this.repositoryUrl = pullUrl.replaceAll("/+$", "") + RegistryRequest.groupPath(groupPath, image);
        this.bearer = "Bearer " + token;
    }

    Manifest manifest(String reference) throws IOException, InterruptedException, PullFailure {
        return parsed(reference, fetchManifest(reference));
    }

    /** The manifest, or nothing when the registry has none of that name (404); other failures throw. */
    Optional<Manifest> manifestIfPresent(String reference) throws IOException, InterruptedException, PullFailure {
        HttpResponse<byte[]> answer = fetchManifest(reference);
        return answer.statusCode() == 404 ? Optional.empty() : Optional.of(parsed(reference, answer));
    }

    private HttpResponse<byte[]> fetchManifest(String reference) throws IOException, InterruptedException {
        HttpRequest manifest = request("/manifests/" + reference).header("Accept", UpstreamClient.MANIFEST_ACCEPT).build();
        return http.send(manifest, HttpResponse.BodyHandlers.ofByteArray());
    }

    private Manifest parsed(String reference, HttpResponse<byte[]> answer) throws IOException, PullFailure {
        if (answer.statusCode() != 200) {
            throw failure("manifest " + reference, answer.statusCode(), answer.body());
        }
        String mediaType = answer.headers().firstValue("Content-Type").orElse("");
        return new Manifest(mediaType, json.readTree(answer.body()), Digests.sha256(answer.body()));
    }

    /** The referrers index of {@code digest}, as the registry's referrers API answers it (so it is cached there). */
    JsonNode referrers(String digest) throws IOException, InterruptedException, PullFailure {
        HttpResponse<byte[]> answer = http.send(request("/referrers/" + digest).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw failure("referrers of " + digest, answer.statusCode(), answer.body());
        }
        return json.readTree(answer.body());
    }

    /** Reads the blob to its end, reporting bytes as they arrive; fails unless exactly {@code size} came. */
    void blob(String digest, long size, LongConsumer progress) throws IOException, InterruptedException, PullFailure {
        HttpResponse<InputStream> answer = http.send(request("/blobs/" + digest).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = answer.body()) {
            if (answer.statusCode() != 200) {
                throw failure("blob " + digest, answer.statusCode(), body.readNBytes(64 * 1024));
            }
            byte[] buffer = new byte[BUFFER];
            long received = 0;
            for (int n; (n = body.read(buffer)) >= 0; ) {
                received += n;
                progress.accept(n);
            }
            if (received != size) {
                throw new PullFailure("blob " + digest + ": " + received + " bytes of " + size);
            }
        }
    }

    private HttpRequest.Builder request(String suffix) {
        return HttpRequest.newBuilder(URI.create(repositoryUrl + suffix)).timeout(ANSWER_TIMEOUT)
                .header("Authorization", bearer).GET();
    }

    private PullFailure failure(String what, int status, byte[] body) {
        String message = "";
        try {
            JsonNode errors = json.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                message = ": " + errors.get(0).path("code").asText() + " " + errors.get(0).path("message").asText();
            }
        } catch (IOException e) {
            message = "";
        }
        return new PullFailure(what + " answered " + status + message);
    }
}

package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Prefetch through the real stack: a job pulls through the accelerator, so a later client pull needs no upstream GET. */
class PrefetchIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        stack = e2e.stackBehind(upstream.url());
    }

    @Test
    void aPrefetchedMultiArchImageReachesFullProgressAndALaterPullNeedsNoUpstreamGet() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image amd64 = layout.image("amd64", 1_000, 300_000);
        OciImageLayout.Image arm64 = layout.image("arm64", 1_500, 400_000);
        layout.tag("v1", layout.index(List.of(amd64, arm64)));
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/prefetched:v1", true);
        long group = stack.createGroup("warm");

        JsonNode started = stack.admin("POST", "/groups/warm/dependency_proxy/prefetch", "{\"images\":[\"prefetched:v1\"]}");
        JsonNode job = awaitFinished(group, started.get("id").asLong());

        long bytes = sizes(amd64) + sizes(arm64);
        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("succeeded");
        assertThat(job.get("images_done").asInt()).isEqualTo(1);
        assertThat(job.get("bytes_total").asLong()).isEqualTo(bytes);
        assertThat(job.get("bytes_done").asLong()).isEqualTo(bytes);
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("images").get(0).get("manifests").asInt()).isEqualTo(2);
        assertFetchedOnce(amd64);
        assertFetchedOnce(arm64);

        for (String arch : List.of("amd64", "arm64")) {
            Skopeo.pull(stack.hostPort() + "/warm/dependency_proxy/containers/prefetched:v1", CREDS,
                    e2e.dir("pull-" + arch), "--override-arch", arch).assertSuccess(List.of("pull " + arch));
        }
        assertFetchedOnce(amd64);
        assertFetchedOnce(arm64);
    }

    @Test
    void onePlatformOnlyAndAMissingImageEndPartialWithTheErrorAndNothingCachedForIt() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image amd64 = layout.image("amd64", 2_000, 100_000);
        OciImageLayout.Image arm64 = layout.image("arm64", 2_500, 100_000);
        layout.tag("v1", layout.index(List.of(amd64, arm64)));
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/half:v1", true);
        long group = stack.createGroup("partial");

        JsonNode started = stack.admin("POST", "/groups/partial/dependency_proxy/prefetch",
                "{\"images\":[\"half:v1\",\"not-there:v9\"],\"platforms\":[\"linux/arm64\"]}");
        JsonNode job = awaitFinished(group, started.get("id").asLong());

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("partial");
        assertThat(job.get("images").get(0).get("status").asText()).isEqualTo("done");
        assertThat(job.get("images").get(1).get("status").asText()).isEqualTo("failed");
        assertThat(job.get("images").get(1).get("error").asText()).contains("404");
        assertThat(job.get("bytes_done").asLong()).isEqualTo(sizes(arm64));
        assertFetchedOnce(arm64);
        for (OciImageLayout.Descriptor blob : amd64.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).as("other platform").isZero();
        }
        assertThat(stack.admin("GET", "/groups/partial/dependency_proxy/manifests?per_page=100", null).toString())
                .doesNotContain("not-there");
    }

    @Test
    void anUpstreamThatServesAWrongLayerMidwayFailsTheImageAndNothingWrongIsCached() throws Exception {
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 50_000, 300_000);
        layout.tag("v1", image.manifest());
        Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/library/broken:v1", false);
        String bad = image.blobs().get(image.blobs().size() - 1).digest();
        upstream.corruptBlob(bad);
        long group = stack.createGroup("midway");

        JsonNode started = stack.admin("POST", "/groups/midway/dependency_proxy/prefetch",
                "{\"images\":[\"broken:v1\"]}");
        JsonNode job = awaitFinished(group, started.get("id").asLong());

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("failed");
        JsonNode report = job.get("images").get(0);
        assertThat(report.get("status").asText()).isEqualTo("failed");
        assertThat(report.get("error").asText()).as("job %s", job).isNotBlank();
        assertThat(job.get("bytes_done").asLong()).isLessThan(sizes(image));
        assertThat(stack.admin("GET", "/groups/midway/dependency_proxy/blobs?per_page=100", null).toString())
                .doesNotContain(bad);
    }

    @Test
    void badRequestsAreRefusedInTheApiFormatAndStartNothing() throws Exception {
        stack.createGroup("refused");
        for (String body : List.of("{}", "{\"images\":[]}", "{\"images\":[\"UPPER/case:v1\"]}",
                "{\"images\":[\"ok:v1\"],\"platforms\":[\"linux\"]}", "{\"images\":[\"ok:bad tag\"]}")) {
            HttpResponse<String> answer = call("POST", "/groups/refused/dependency_proxy/prefetch", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).contains("\"message\"");
        }
        assertThat(call("GET", "/groups/refused/dependency_proxy/prefetch/999999", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/groups/refused/dependency_proxy/prefetch/abc", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/groups/nobody-has-this/dependency_proxy/prefetch", "{\"images\":[\"a:b\"]}")
                .statusCode()).isEqualTo(404);
    }

    private static JsonNode awaitFinished(long group, long jobId) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            last[0] = stack.admin("GET", "/groups/" + group + "/dependency_proxy/prefetch/" + jobId, null);
            assertThat(last[0].get("finished_at").isNull()).as("job %s", last[0]).isFalse();
        });
        return last[0];
    }

    private static HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url() + "/api/v4" + path))
                .header("PRIVATE-TOKEN", ProxyStack.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long sizes(OciImageLayout.Image image) {
        return image.blobs().stream().mapToLong(OciImageLayout.Descriptor::size).sum();
    }

    private static void assertFetchedOnce(OciImageLayout.Image image) throws IOException {
        for (OciImageLayout.Descriptor blob : image.blobs()) {
            assertThat(upstream.requests("GET", "/blobs/" + blob.digest())).as("GETs of %s (%s)", blob.digest(),
                    image.architecture()).isEqualTo(1);
        }
    }
}

package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pull workflow of the OCI distribution-spec conformance suite (v1.1.1, {@code conformance/01_pull_test.go}), its
 * 14 specs as the suite runs them against a registry that already holds the content (setup and teardown skipped:
 * {@code OCI_TAG_NAME}, {@code OCI_MANIFEST_DIGEST} and {@code OCI_BLOB_DIGEST} set). For a pull-through cache the
 * upstream holds the content: it is pushed to the upstream registry as the suite's setup would push it, then every
 * spec runs through the accelerator. Each test is named after its spec.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OciPullConformanceIT {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String UPSTREAM_NAME = "conformance/pull";
    private static final String TAG = "tagtest0";
    private static final String NONEXISTENT_MANIFEST = ".INVALID_MANIFEST_NAME";
    private static final String DUMMY_DIGEST = Digests.sha256("hello world".getBytes(StandardCharsets.UTF_8));
    /** The codes a 400 body may carry (the suite's {@code errorCodes}). */
    private static final List<String> ERROR_CODES = List.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID",
            "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN",
            "MANIFEST_UNVERIFIED", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "TAG_INVALID", "UNAUTHORIZED",
            "DENIED", "UNSUPPORTED");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static RegistryHttp proxy;
    private static String name;
    private static final List<byte[]> configs = new ArrayList<>();
    private static final List<byte[]> manifests = new ArrayList<>();
    private static String tag;

    @BeforeAll
    static void pushTheSuitesContentToTheUpstream() throws Exception {
        upstream = e2e.upstream("upstream");
        stack = e2e.stack(Map.of("DP_UPSTREAM_URL", upstream.url()));
        stack.createGroup("conformance");
        name = "/v2/conformance/dependency_proxy/containers/" + UPSTREAM_NAME;
        proxy = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);

        Random random = new Random(1);
        byte[] layer = new byte[4096];
        random.nextBytes(layer);
        pushBlob(layer);
        for (int i = 0; i < 2; i++) {
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"conformance-" + i
                    + "-" + random.nextLong() + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                    .getBytes(StandardCharsets.UTF_8);
            pushBlob(config);
            configs.add(config);
            manifests.add(("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                    + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.sha256(layer)
                    + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8));
        }
        pushManifest(TAG, manifests.get(0));
        pushManifest(Digests.sha256(manifests.get(1)), manifests.get(1));
    }

    @Test
    @Order(1)
    @DisplayName("Setup: Get tag name from environment")
    void getTagNameFromEnvironment() throws Exception {
        String fromEnvironment = System.getenv("OCI_TAG_NAME");
        tag = fromEnvironment == null || fromEnvironment.isEmpty() ? TAG : fromEnvironment;
        HttpResponse<Void> atUpstream = HTTP.send(HttpRequest.newBuilder(
                        URI.create(upstream.url() + "/v2/" + UPSTREAM_NAME + "/manifests/" + tag))
                .header("Accept", OCI_MANIFEST).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(atUpstream.statusCode()).as("the upstream holds tag %s", tag).isEqualTo(200);
    }

    @Test
    @Order(2)
    @DisplayName("Pull blobs: HEAD request to nonexistent blob should result in 404 response")
    void headRequestToNonexistentBlobShouldResultIn404Response() throws Exception {
        assertThat(head(name + "/blobs/" + DUMMY_DIGEST, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    @DisplayName("Pull blobs: HEAD request to existing blob should yield 200")
    void headRequestToExistingBlobShouldYield200() throws Exception {
        assertOkWithDigest(head(name + "/blobs/" + Digests.sha256(configs.get(0)), null),
                Digests.sha256(configs.get(0)));
    }

    @Test
    @Order(4)
    @DisplayName("Pull blobs: GET nonexistent blob should result in 404 response")
    void getNonexistentBlobShouldResultIn404Response() throws Exception {
        assertThat(get(name + "/blobs/" + DUMMY_DIGEST, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    @DisplayName("Pull blobs: GET request to existing blob URL should yield 200")
    void getRequestToExistingBlobUrlShouldYield200() throws Exception {
        HttpResponse<byte[]> response = get(name + "/blobs/" + Digests.sha256(configs.get(0)), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(configs.get(0));
    }

    @Test
    @Order(6)
    @DisplayName("Pull manifests: HEAD request to nonexistent manifest should return 404")
    void headRequestToNonexistentManifestShouldReturn404() throws Exception {
        assertThat(head(name + "/manifests/" + NONEXISTENT_MANIFEST, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    @DisplayName("Pull manifests: HEAD request to manifest[0] path (digest) should yield 200 response")
    void headRequestToManifest0PathDigestShouldYield200Response() throws Exception {
        String digest = Digests.sha256(manifests.get(0));
        assertOkWithDigest(head(name + "/manifests/" + digest, OCI_MANIFEST), digest);
    }

    @Test
    @Order(8)
    @DisplayName("Pull manifests: HEAD request to manifest[1] path (digest) should yield 200 response")
    void headRequestToManifest1PathDigestShouldYield200Response() throws Exception {
        String digest = Digests.sha256(manifests.get(1));
        assertOkWithDigest(head(name + "/manifests/" + digest, OCI_MANIFEST), digest);
    }

    @Test
    @Order(9)
    @DisplayName("Pull manifests: HEAD request to manifest path (tag) should yield 200 response")
    void headRequestToManifestPathTagShouldYield200Response() throws Exception {
        assertThat(tag).isNotEmpty();
        assertOkWithDigest(head(name + "/manifests/" + tag, OCI_MANIFEST), Digests.sha256(manifests.get(0)));
    }

    @Test
    @Order(10)
    @DisplayName("Pull manifests: GET nonexistent manifest should return 404")
    void getNonexistentManifestShouldReturn404() throws Exception {
        assertThat(get(name + "/manifests/" + NONEXISTENT_MANIFEST, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(11)
    @DisplayName("Pull manifests: GET request to manifest[0] path (digest) should yield 200 response")
    void getRequestToManifest0PathDigestShouldYield200Response() throws Exception {
        assertManifest(get(name + "/manifests/" + Digests.sha256(manifests.get(0)), OCI_MANIFEST), manifests.get(0));
    }

    @Test
    @Order(12)
    @DisplayName("Pull manifests: GET request to manifest[1] path (digest) should yield 200 response")
    void getRequestToManifest1PathDigestShouldYield200Response() throws Exception {
        assertManifest(get(name + "/manifests/" + Digests.sha256(manifests.get(1)), OCI_MANIFEST), manifests.get(1));
    }

    @Test
    @Order(13)
    @DisplayName("Pull manifests: GET request to manifest path (tag) should yield 200 response")
    void getRequestToManifestPathTagShouldYield200Response() throws Exception {
        assertThat(tag).isNotEmpty();
        assertManifest(get(name + "/manifests/" + tag, OCI_MANIFEST), manifests.get(0));
    }

    @Test
    @Order(14)
    @DisplayName("Error codes: 400 response body should contain OCI-conforming JSON message")
    void badRequestResponseBodyShouldContainOciConformingJsonMessage() throws Exception {
        HttpResponse<byte[]> response = proxy.get(name + "/manifests/sha256:totallywrong", HttpResponse.BodyHandlers
                .ofByteArray());
        assertThat(response.statusCode()).isIn(400, 404);
        if (response.statusCode() == 400) {
            JsonNode errors = JSON.readTree(response.body()).path("errors");
            assertThat(errors.isArray() && !errors.isEmpty()).as(new String(response.body())).isTrue();
            assertThat(ERROR_CODES).contains(errors.get(0).path("code").asText());
        }
    }

    private static HttpResponse<Void> head(String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(request(path, accept).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(request(path, accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder request(String path, String accept) {
        HttpRequest.Builder request = proxy.request(path);
        return accept == null ? request : request.setHeader("Accept", accept);
    }

    /** The suite checks {@code Docker-Content-Digest} when present; we always send it, so it must be there. */
    private static void assertOkWithDigest(HttpResponse<?> response, String digest) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    }

    private static void assertManifest(HttpResponse<byte[]> response, byte[] expected) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected);
    }

    private static void pushBlob(byte[] bytes) throws IOException, InterruptedException {
        upstream.pushBlob(UPSTREAM_NAME, bytes);
    }

    private static void pushManifest(String reference, byte[] bytes) throws IOException, InterruptedException {
        upstream.putManifest(UPSTREAM_NAME, reference, OCI_MANIFEST, bytes);
    }
}

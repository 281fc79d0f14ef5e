package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The referrers API through the real stack. The upstream is a real docker-registry (distribution 2.8: no referrers
 * API) holding an image, an SBOM artifact manifest whose {@code subject} is the image, the {@code sha256-<hex>}
 * fallback tag index listing it and a cosign-style signature under {@code sha256-<hex>.sig}, all pushed over HTTP as
 * oras and cosign push them to such a registry; in front of it a {@link ReferrersFront} adds a real referrers API for
 * the subjects a test gives an index for. Last, a prefetch with the chain keeps all of it served with the upstream gone,
 * also after a restart of the stack (the last good referrers index is in the database).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferrersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SBOM_TYPE = "application/spdx+json";
    private static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ReferrersFront front;
    private static ProxyStack stack;
    private static RegistryHttp client;
    private static int layouts;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        front = e2e.closeAtEnd(new ReferrersFront(upstream.url()));
        stack = e2e.stackBehind(front.url());
        client = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
    }

    @Test
    @Order(1)
    void onAnUpstreamWithoutAReferrersApiTheFallbackTagsIndexIsAnswered() throws Exception {
        OciImageLayout.Descriptor image = pushImage("sbom-app");
        ObjectNode sbom = pushSbom("library/sbom-app", image);
        pushFallbackIndex("library/sbom-app", image.digest(), index(sbom));
        stack.createGroup("refs-fallback");
        String path = "/v2/refs-fallback/dependency_proxy/containers/sbom-app/referrers/" + image.digest();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(upstream.url() + "/v2/library/sbom-app/referrers/"
                + image.digest())).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("distribution 2.8 has no referrers API").isEqualTo(404);

        HttpResponse<String> all = client.get(path, HttpResponse.BodyHandlers.ofString());
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(OciImageLayout.INDEX);
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        JsonNode answer = JSON.readTree(all.body());
        assertThat(answer.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(answer.get("mediaType").asText()).isEqualTo(OciImageLayout.INDEX);
        assertThat(answer.get("manifests")).isEqualTo(JSON.createArrayNode().add(sbom));

        HttpResponse<String> filtered = client.get(path + "?artifactType=" + encoded(SBOM_TYPE),
                HttpResponse.BodyHandlers.ofString());
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(JSON.readTree(filtered.body()).get("manifests")).isEqualTo(JSON.createArrayNode().add(sbom));
        HttpResponse<String> other = client.get(path + "?artifactType=" + encoded("application/vnd.example.none"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(JSON.readTree(other.body()).get("manifests")).isEmpty();

        String nothing = Digests.sha256("no referrers here".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> none = client.get("/v2/refs-fallback/dependency_proxy/containers/sbom-app/referrers/"
                + nothing, HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).get("manifests")).isEmpty();
        HttpResponse<String> bad = client.get("/v2/refs-fallback/dependency_proxy/containers/sbom-app/referrers/"
                + "sha256:abc", HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("DIGEST_INVALID");
    }

    @Test
    @Order(2)
    void theCacheAnswersTheSameIndexAsAReferrersCapableUpstream() throws Exception {
        OciImageLayout.Descriptor image = pushImage("api-app");
        ObjectNode sbom = pushSbom("library/api-app", image);
        JsonNode upstreamIndex = JSON.readTree(index(sbom));
        front.referrers("library/api-app", image.digest(), upstreamIndex);
        stack.createGroup("refs-api");

        for (String artifactType : Arrays.asList(null, SBOM_TYPE, "application/vnd.example.none")) {
            String query = artifactType == null ? "" : "?artifactType=" + encoded(artifactType);
            HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(front.url()
                    + "/v2/library/api-app/referrers/" + image.digest() + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> cached = client.get("/v2/refs-api/dependency_proxy/containers/api-app/referrers/"
                    + image.digest() + query, HttpResponse.BodyHandlers.ofString());

            assertThat(cached.statusCode()).as("%s: %s", artifactType, cached.body()).isEqualTo(200);
            assertThat(JSON.readTree(cached.body())).as("artifactType %s", artifactType)
                    .isEqualTo(JSON.readTree(direct.body()));
            assertThat(cached.headers().firstValue("OCI-Filters-Applied"))
                    .isEqualTo(direct.headers().firstValue("OCI-Filters-Applied"));
        }
        // the referrers API wins: the upstream has no fallback tag for this subject
        assertThat(upstream.requests("GET", "/manifests/" + image.digest().replace(':', '-'))).isZero();
    }

    @Test
    @Order(3)
    void afterAPrefetchWithTheChainTheReferrersTheSbomAndTheSignatureAreServedWithTheUpstreamGone() throws Exception {
        OciImageLayout.Descriptor image = pushImage("chain-app");
        ObjectNode sbom = pushSbom("library/chain-app", image);
        pushFallbackIndex("library/chain-app", image.digest(), index(sbom));
        byte[] sbomManifest = getFromUpstream("/v2/library/chain-app/manifests/" + sbom.get("digest").asText());
        String sigTag = image.digest().replace(':', '-') + ".sig";
        byte[] signature = pushSignature("library/chain-app", sigTag, image.digest());
        long group = stack.createGroup("chain");

        JsonNode started = stack.admin("POST", "/groups/chain/dependency_proxy/prefetch",
                "{\"images\":[\"chain-app:v1\"],\"with_chain\":true}");
        JsonNode job = stack.awaitPrefetchFinished(group, started.get("id").asLong());
        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("succeeded");
        assertThat(job.get("images").get(0).get("manifests").asInt()).as("image, signature, SBOM").isEqualTo(3);

        front.close();
        upstream.stop();
        String repository = "/v2/chain/dependency_proxy/containers/chain-app";
        HttpResponse<String> referrers = client.get(repository + "/referrers/" + image.digest() + "?artifactType="
                + encoded(SBOM_TYPE), HttpResponse.BodyHandlers.ofString());
        assertThat(referrers.statusCode()).as(referrers.body()).isEqualTo(200);
        assertThat(JSON.readTree(referrers.body()).get("manifests")).isEqualTo(JSON.createArrayNode().add(sbom));
        assertThat(client.served(repository + "/manifests/" + sbom.get("digest").asText())).isEqualTo(sbomManifest);
        assertThat(client.served(repository + "/manifests/" + sigTag)).isEqualTo(signature);
        JsonNode sbomLayer = JSON.readTree(sbomManifest).get("layers").get(0);
        assertThat(client.served(repository + "/blobs/" + sbomLayer.get("digest").asText()))
                .hasSize(sbomLayer.get("size").asInt());
        JsonNode sigLayer = JSON.readTree(signature).get("layers").get(0);
        assertThat(client.served(repository + "/blobs/" + sigLayer.get("digest").asText()))
                .hasSize(sigLayer.get("size").asInt());

        // the last good index is in the database, not only in the memory of the replica that fetched it
        stack.stop();
        stack.start();
        client = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
        HttpResponse<String> restarted = client.get(repository + "/referrers/" + image.digest(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(200);
        assertThat(restarted.headers().firstValue(Headers.CACHE_STATUS)).hasValue("stale");
        assertThat(JSON.readTree(restarted.body()).get("manifests")).isEqualTo(JSON.createArrayNode().add(sbom));
        assertThat(client.served(repository + "/manifests/" + sigTag)).isEqualTo(signature);
    }

    /** A one-platform image pushed by skopeo as {@code library/<name>:v1}; its manifest's descriptor. */
    private static OciImageLayout.Descriptor pushImage(String name) throws Exception {
        return e2e.pushImage(upstream, "library/" + name + ":v1", 4000 + ++layouts, 2_000, 20_000).manifest();
    }

    /** An SBOM as oras attaches one (OCI 1.1 artifact manifest with {@code subject}); its descriptor for an index. */
    private static ObjectNode pushSbom(String name, OciImageLayout.Descriptor subject) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] document = ("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        upstream.pushBlob(name, config);
        upstream.pushBlob(name, document);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciImageLayout.MANIFEST)
                .put("artifactType", SBOM_TYPE);
        manifest.set("config", OciImageLayout.descriptorJson(EMPTY_TYPE, config));
        manifest.putArray("layers").add(OciImageLayout.descriptorJson(SBOM_TYPE, document)
                .set("annotations", JSON.createObjectNode().put("org.opencontainers.image.title", "sbom.spdx.json")));
        manifest.putObject("subject").put("mediaType", subject.mediaType()).put("digest", subject.digest())
                .put("size", subject.size());
        manifest.putObject("annotations").put("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        String digest = Digests.sha256(bytes);
        upstream.putManifest(name, digest, OciImageLayout.MANIFEST, bytes);
        ObjectNode entry = OciImageLayout.descriptorJson(OciImageLayout.MANIFEST, bytes).put("artifactType", SBOM_TYPE);
        entry.putObject("annotations").put("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
        return entry;
    }

    /** A cosign-style signature manifest (simple-signing payload layer, signature annotation) under {@code tag}. */
    private static byte[] pushSignature(String name, String tag, String subjectDigest) throws Exception {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + name + "\"},\"image\":{"
                + "\"docker-manifest-digest\":\"" + subjectDigest + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"\",\"config\":{},\"created\":\"0001-01-01T00:00:00Z\",\"history\":"
                + "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digests.sha256(payload) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        upstream.pushBlob(name, payload);
        upstream.pushBlob(name, config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciImageLayout.MANIFEST);
        manifest.set("config", OciImageLayout.descriptorJson("application/vnd.oci.image.config.v1+json", config));
        manifest.putArray("layers").add(OciImageLayout.descriptorJson(
                        "application/vnd.dev.cosign.simplesigning.v1+json", payload)
                .set("annotations", JSON.createObjectNode().put("dev.cosignproject.cosign/signature",
                        "MEUCIQDexample0signature0not0checked0here0AiB0example0signature0bytes0==")));
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        upstream.putManifest(name, tag, OciImageLayout.MANIFEST, bytes);
        return bytes;
    }

    private static void pushFallbackIndex(String name, String subjectDigest, byte[] index) throws Exception {
        upstream.putManifest(name, subjectDigest.replace(':', '-'), OciImageLayout.INDEX, index);
    }

    private static byte[] index(ObjectNode... descriptors) throws IOException {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciImageLayout.INDEX);
        index.putArray("manifests").addAll(List.of(descriptors));
        return JSON.writeValueAsBytes(index);
    }
    private static byte[] getFromUpstream(String path) throws Exception {
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(upstream.url() + path))
                .header("Accept", OciImageLayout.MANIFEST).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

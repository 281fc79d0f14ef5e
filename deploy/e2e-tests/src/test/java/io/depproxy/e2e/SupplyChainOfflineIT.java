package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole supply chain with the upstream stopped after a prefetch with the chain (issue 21's last "done means").
 * A real docker-registry upstream holds a multi-arch image signed on its index ({@link CosignSignatures}), an SBOM
 * attached to it with its {@code sha256-<hex>} fallback tag (distribution 2.8 has no referrers API) and an unsigned
 * image; no client pulled any of them. The group enforces signatures by the test's key and denies {@code *:latest};
 * the signed image is prefetched {@code with_chain} and the upstream stopped. Then, through the cache only: skopeo copies
 * each platform, the referrers API lists the SBOM, the {@code .sig} tag is served, the unsigned image and a
 * {@code :latest} pull are refused, the dry run answers, and once the group's key list changes (so nothing remembered
 * applies) the signed image is verified again from the prefetched signature alone.
 */
class SupplyChainOfflineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String GROUP = "offline-chain";
    private static final String SBOM_TYPE = "application/spdx+json";
    private static final CosignSignatures GROUP_KEY = new CosignSignatures();
    private static final Map<String, String> DENY_LATEST = Map.of("action", "deny", "image", "*", "tag", "latest");
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
    void afterAPrefetchWithTheChainEverythingIsAnsweredWithTheUpstreamStopped() throws Exception {
        Path dir = e2e.dir("layout-signed");
        OciImageLayout layout = new OciImageLayout(dir, 21);
        OciImageLayout.Descriptor index = layout.index(List.of(layout.image("amd64", 1_000, 30_000),
                layout.image("arm64", 1_000, 31_000)));
        layout.tag("1", index);
        layout.tag("latest", index);
        Skopeo.push(dir, "1", upstream.hostPort() + "/library/signed:1", true);
        Skopeo.push(dir, "latest", upstream.hostPort() + "/library/signed:latest", true);
        GROUP_KEY.sign(upstream, "library/signed", index.digest());
        ObjectNode sbom = pushSbom("library/signed", index);
        String unsignedDigest = pushUnsigned();

        long group = stack.createGroup(GROUP);
        setPolicy(group, List.of(GROUP_KEY.publicPem()));
        JsonNode started = stack.admin("POST", "/groups/" + GROUP + "/dependency_proxy/prefetch", JSON.writeValueAsString(
                Map.of("images", List.of("signed:1"), "platforms", List.of("linux/amd64", "linux/arm64"),
                        "with_chain", true)));
        JsonNode job = stack.awaitPrefetchFinished(group, started.get("id").asLong());
        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("succeeded");
        assertThat(job.get("images").get(0).get("manifests").asInt()).as("two platforms, signature, SBOM")
                .isEqualTo(4);

        upstream.stop();
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(upstream.url() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding())).as("the upstream is stopped").isInstanceOf(IOException.class);

        String containers = stack.hostPort() + "/" + GROUP + "/dependency_proxy/containers/";
        for (String arch : List.of("amd64", "arm64")) {
            Skopeo.pull(containers + "signed:1", CREDS, e2e.dir("signed-" + arch), "--override-arch", arch)
                    .assertSuccess(List.of("skopeo copy --override-arch " + arch + ", upstream stopped"));
        }

        RegistryHttp client = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
        String repository = "/v2/" + GROUP + "/dependency_proxy/containers/signed";
        HttpResponse<String> referrers = client.get(repository + "/referrers/" + index.digest() + "?artifactType="
                + URLEncoder.encode(SBOM_TYPE, StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString());
        assertThat(referrers.statusCode()).as(referrers.body()).isEqualTo(200);
        assertThat(JSON.readTree(referrers.body()).get("manifests")).isEqualTo(JSON.createArrayNode().add(sbom));
        assertThat(client.served(repository + "/manifests/" + sbom.get("digest").asText())).hasSize(
                sbom.get("size").asInt());
        JsonNode signature = JSON.readTree(client.served(repository + "/manifests/sha256-"
                + Digests.hexOf(index.digest()) + ".sig"));
        assertThat(signature.get("layers").get(0).get("annotations").has("dev.cosignproject.cosign/signature"))
                .as("%s", signature).isTrue();

        // never pulled, so neither cached nor verified, and its upstream is gone: by tag there is no digest to check,
        // 503 UNAVAILABLE; by digest the signature check comes first and cannot be made, 403 DENIED saying why
        ExternalCommand.Result unsigned = Skopeo.pull(containers + "unsigned:1", CREDS, e2e.dir("unsigned"));
        assertThat(unsigned.exitCode()).as(unsigned.output()).isNotZero();
        String unsignedRepository = "/v2/" + GROUP + "/dependency_proxy/containers/unsigned/manifests/";
        HttpResponse<String> byTag = client.get(unsignedRepository + "1", HttpResponse.BodyHandlers.ofString());
        assertThat(byTag.statusCode()).as(byTag.body()).isEqualTo(503);
        assertThat(errorCode(byTag)).isEqualTo("UNAVAILABLE");
        HttpResponse<String> byDigest = client.get(unsignedRepository + unsignedDigest,
                HttpResponse.BodyHandlers.ofString());
        assertThat(byDigest.statusCode()).as(byDigest.body()).isEqualTo(403);
        assertThat(errorCode(byDigest)).isEqualTo("DENIED");
        assertThat(byDigest.body()).contains("requires a valid signature by one of the group's keys")
                .contains("could not be looked up");

        ExternalCommand.Result latest = Skopeo.pull(containers + "signed:latest", CREDS, e2e.dir("latest"));
        JsonNode latestCheck = check(group, "signed:latest");
        assertThat(latestCheck.get("decision").asText()).isEqualTo("deny");
        assertThat(latest.exitCode()).as(latest.output()).isNotZero();
        // skopeo's log line quotes the message: \" for "
        assertThat(latest.output().replace("\\\"", "\"")).containsIgnoringCase("denied")
                .contains(latestCheck.get("message").asText())
                .contains("is denied by rule 1 (deny image \"*\" tag \"latest\") of the policy of group " + GROUP);
        assertThat(check(group, "signed:1").get("decision").asText()).isEqualTo("allow");

        // another key set: no verdict remembered applies, so the check reads the prefetched signature and payload
        setPolicy(group, List.of(GROUP_KEY.publicPem(), new CosignSignatures().publicPem()));
        Skopeo.pull(containers + "signed:1", CREDS, e2e.dir("signed-rekeyed"), "--override-arch", "arm64")
                .assertSuccess(List.of("skopeo copy after the key list changed, upstream stopped"));
    }

    private static String errorCode(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).path("errors").path(0).path("code").asText();
    }

    private static void setPolicy(long group, List<String> keys) throws Exception {
        stack.admin("PUT", "/groups/" + group + "/dependency_proxy/policy", JSON.writeValueAsString(Map.of(
                "rules", List.of(DENY_LATEST), "signatures", Map.of("mode", "enforce", "keys", keys))));
    }

    private static JsonNode check(long group, String image) throws Exception {
        return stack.admin("POST", "/groups/" + group + "/dependency_proxy/policy/check",
                JSON.writeValueAsString(Map.of("image", image)));
    }

    /** An unsigned single-platform image pushed as {@code library/unsigned:1}; its manifest digest. */
    private static String pushUnsigned() throws Exception {
        Path dir = e2e.dir("layout-unsigned");
        OciImageLayout layout = new OciImageLayout(dir, 22);
        OciImageLayout.Image image = layout.image("amd64", 1_000, 20_000);
        layout.tag("1", image.manifest());
        Skopeo.push(dir, "1", upstream.hostPort() + "/library/unsigned:1", false);
        return image.manifest().digest();
    }

    /**
     * An SBOM as oras attaches one to a registry without a referrers API: the artifact manifest with {@code subject},
     * and the {@code sha256-<hex>} fallback tag index listing it. Its descriptor as a referrers index lists it.
     */
    private static ObjectNode pushSbom(String name, OciImageLayout.Descriptor subject) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] document = ("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        upstream.pushBlob(name, config);
        upstream.pushBlob(name, document);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciImageLayout.MANIFEST)
                .put("artifactType", SBOM_TYPE);
        manifest.set("config", OciImageLayout.descriptorJson("application/vnd.oci.empty.v1+json", config));
        manifest.putArray("layers").add(OciImageLayout.descriptorJson(SBOM_TYPE, document));
        manifest.putObject("subject").put("mediaType", subject.mediaType()).put("digest", subject.digest())
                .put("size", subject.size());
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        upstream.putManifest(name, Digests.sha256(bytes), OciImageLayout.MANIFEST, bytes);
        ObjectNode entry = OciImageLayout.descriptorJson(OciImageLayout.MANIFEST, bytes).put("artifactType", SBOM_TYPE);
        ObjectNode fallback = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciImageLayout.INDEX);
        fallback.putArray("manifests").add(entry);
        upstream.putManifest(name, subject.digest().replace(':', '-'), OciImageLayout.INDEX,
                JSON.writeValueAsBytes(fallback));
        return entry;
    }

}

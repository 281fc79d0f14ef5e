package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The instance as a cluster's registry mirror ({@code DP_MIRROR_GROUP=mirror}), with the clients' own mirror
 * configuration and two real upstream registries: the default one and {@code registry-b.e2e}. Neither upstream name
 * resolves, so a pull that did not go through the mirror fails.
 */
class MirrorModeIT {
    private static final String B_NAME = "registry-b.e2e";
    private static final String A_NAME = "registry-a.e2e";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstreamA;
    private static UpstreamRegistry upstreamB;
    private static ProxyStack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        upstreamA = e2e.upstream("upstream-a");
        upstreamB = e2e.upstream("upstream-b");
        e2e.pushImage(upstreamA, "library/app:v1", 1, 2_000, 200_001);
        e2e.pushImage(upstreamB, "team/tool:v2", 2, 2_000, 200_002);
        stack = e2e.stackBehind(upstreamA.url(), Map.of("DP_MIRROR_GROUP", "mirror"));
        stack.createGroup("mirror");
        stack.addUpstream(Map.of("name", B_NAME, "url", upstreamB.url()));
    }

    @Test
    void containerdPullsByTheImagesOwnNameThroughAHostsTomlMirrorAndAnonymouslyOnlyOnceAllowed() throws Exception {
        Path hostsDir = hostsToml(e2e.dir("hosts"), B_NAME, "http://" + stack.hostPort(), false);
        String ref = B_NAME + "/team/tool:v2";
        try (Containerd containerd = new Containerd(e2e.dir("containerd"))) {
            containerd.start();
            ExternalCommand.Result anonymous = containerd.pullWithHostsDir(ref, null, hostsDir);
            assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();

            containerd.pullWithHostsDir(ref, stack.deployToken("mirror"), hostsDir)
                    .assertSuccess(List.of("ctr pull via mirror"));
            String layer = layerOf(ref);
            assertThat(stack.log()).containsPattern("accelerator .*request completed .*method=GET "
                    + "path=/v2/team/tool/blobs/" + layer + "\\?\\S* status=200");
            assertThat(upstreamB.requests("GET", "/blobs/" + layer)).isEqualTo(1);
            // the accelerator stores a verified download just after its last byte went out: wait for the record
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cachedBlobs()).contains(layer));

            setAnonymousPull(true);
            try {
                containerd.pullWithHostsDir(ref, null, hostsDir).assertSuccess(List.of("anonymous ctr pull"));
            } finally {
                setAnonymousPull(false);
            }
        }
    }

    @Test
    void containerdWithOverridePathPullsTheGroupPathOfTheDefaultUpstream() throws Exception {
        Path hostsDir = hostsToml(e2e.dir("hosts-override"), A_NAME,
                "http://" + stack.hostPort() + "/v2/mirror/dependency_proxy/containers", true);
        try (Containerd containerd = new Containerd(e2e.dir("containerd-override"))) {
            containerd.start();
            containerd.pullWithHostsDir(A_NAME + "/library/app:v1", stack.deployToken("mirror"), hostsDir)
                    .assertSuccess(List.of("ctr pull with override_path"));
        }
        assertThat(stack.log()).contains("/v2/mirror/dependency_proxy/containers/library/app/manifests/v1");
    }

    @Test
    void podmanPullsThroughRegistriesConfMirrorsOfBothUpstreams() throws Exception {
        ExternalCommand.requireOnPath("podman");
        Path conf = e2e.dir("registries.conf");
        Files.writeString(conf, String.join("\n",
                "unqualified-search-registries = []",
                "[[registry]]",
                "prefix = \"" + A_NAME + "\"",
                "location = \"" + A_NAME + "\"",
                "[[registry.mirror]]",
                "location = \"" + stack.hostPort() + "\"",
                "insecure = true",
                "[[registry]]",
                "prefix = \"" + B_NAME + "\"",
                "location = \"" + B_NAME + "\"",
                "[[registry.mirror]]",
                "location = \"" + stack.hostPort() + "/" + B_NAME + "\"",
                "insecure = true",
                ""));
        Map<String, String> env = Map.of("CONTAINERS_REGISTRIES_CONF", conf.toString());
        Podman podman = new Podman(e2e.dir("podman"));
        String[] token = stack.deployToken("mirror").split(":", 2);
        podman.run(env, "login", "--tls-verify=false", "-u", token[0], "-p", token[1], stack.hostPort())
                .assertSuccess(List.of("podman login"));

        podman.run(env, "pull", A_NAME + "/library/app:v1").assertSuccess(List.of("podman pull A via mirror"));
        podman.run(env, "pull", B_NAME + "/team/tool:v2").assertSuccess(List.of("podman pull B via mirror"));

        assertThat(podman.run(env, "images", "--format", "{{.Repository}}:{{.Tag}}").output())
                .contains(A_NAME + "/library/app:v1").contains(B_NAME + "/team/tool:v2");
        assertThat(stack.log()).contains("/v2/library/app/manifests/v1")
                .contains("/v2/" + B_NAME + "/team/tool/manifests/v2");
    }

    @Test
    void aDockerHubStyleRootRequestIsServedWithALoginAndRefusedWithout() throws Exception {
        String path = "/v2/library/app/manifests/v1";
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(stack.url() + path)));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().contains("Bearer realm=");
        assertThat(send(HttpRequest.newBuilder(URI.create(stack.url() + "/v2/"))).statusCode()).isEqualTo(401);

        String[] token = stack.deployToken("mirror").split(":", 2);
        RegistryHttp client = new RegistryHttp(stack.url(), token[0], token[1]);
        HttpResponse<byte[]> manifest = client.get(path, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(manifest.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> upstream = HTTP.send(HttpRequest.newBuilder(URI.create(upstreamA.url() + path))
                .header("Accept", OciImageLayout.MANIFEST).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(manifest.body()).isEqualTo(upstream.body());
        assertThat(manifest.headers().firstValue("Docker-Content-Digest"))
                .isEqualTo(upstream.headers().firstValue("Docker-Content-Digest"));

        HttpResponse<String> unknown = client.get(path + "?ns=quay.example", HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("NAME_UNKNOWN").contains("quay.example");
        HttpResponse<String> malformed = client.get(path + "?ns=a%20b", HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("NAME_INVALID");
    }

    /** A {@code hosts.toml} for {@code registry} whose only mirror is {@code mirrorUrl}, as on a node. */
    private static Path hostsToml(Path dir, String registry, String mirrorUrl, boolean overridePath) throws Exception {
        Path file = dir.resolve(registry).resolve("hosts.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "server = \"https://" + registry + "\"",
                "[host.\"" + mirrorUrl + "\"]",
                "  capabilities = [\"pull\", \"resolve\"]",
                overridePath ? "  override_path = true" : "",
                ""));
        return dir;
    }

    private static void setAnonymousPull(boolean allowed) throws Exception {
        JsonNode settings = stack.admin("PUT", "/groups/mirror/dependency_proxy/settings",
                "{\"anonymous_pull\":" + allowed + "}");
        assertThat(settings.get("anonymous_pull").asBoolean()).isEqualTo(allowed);
    }

    private static String cachedBlobs() throws Exception {
        return stack.admin("GET", "/groups/mirror/dependency_proxy/blobs", null).toString();
    }

    /** The largest layer of the image at {@code ref} on upstream B (the one its manifest lists last). */
    private static String layerOf(String ref) throws Exception {
        String repository = ref.substring(B_NAME.length() + 1, ref.indexOf(':'));
        String tag = ref.substring(ref.indexOf(':') + 1);
        HttpResponse<String> manifest = HTTP.send(HttpRequest.newBuilder(URI.create(upstreamB.url() + "/v2/"
                + repository + "/manifests/" + tag)).header("Accept", OciImageLayout.MANIFEST).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode layers = JSON.readTree(manifest.body()).get("layers");
        return layers.get(layers.size() - 1).get("digest").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

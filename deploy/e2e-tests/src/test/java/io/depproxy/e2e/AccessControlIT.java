package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may pull, with the clients people use: a deploy token of a parent group pulls into its subgroup and one of a
 * sibling group is refused (skopeo); podman logs in with a personal access token and pulls; containerd, which asks
 * for its token with the OAuth2 POST form first, pulls with a deploy token.
 */
class AccessControlIT {
    @TempDir
    static Path work;
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static String image;

    @BeforeAll
    static void startEverything() throws Exception {
        ExternalCommand.requireOnPath("skopeo");
        OciImageLayout layout = new OciImageLayout(work.resolve("layout"), 7);
        layout.tag("v1", layout.image("amd64", 4_000, 300_000).manifest());
        upstream = new UpstreamRegistry(work.resolve("upstream"));
        upstream.start();
        Skopeo.push(work.resolve("layout"), "v1", upstream.hostPort() + "/library/app:v1", false);
        stack = new ProxyStack(work.resolve("data"), Map.of("DP_UPSTREAM_URL", upstream.url(),
                "DP_UPSTREAM_SINGLE_NAME_PREFIX", "library"));
        stack.start();
        long org = stack.createGroup("org");
        stack.admin("POST", "/groups", "{\"name\":\"team\",\"path\":\"team\",\"parent_id\":" + org + "}");
        stack.createGroup("sibling");
        image = stack.hostPort() + "/org/team/dependency_proxy/containers/app:v1";
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aDeployTokenOfTheParentGroupPullsIntoTheSubgroupAndOneOfASiblingIsRefused() throws Exception {
        Skopeo.pull(image, deployToken("org"), work.resolve("parent")).assertSuccess(List.of("pull with parent token"));

        ExternalCommand.Result sibling = Skopeo.pull(image, deployToken("sibling"), work.resolve("sibling"));
        assertThat(sibling.exitCode()).as(sibling.output()).isNotZero();
        assertThat(ProxyStack.filesUnder(work.resolve("sibling/blobs"))).isEmpty();
    }

    @Test
    void podmanLogsInWithAPersonalAccessTokenAndPulls() throws Exception {
        ExternalCommand.requireOnPath("podman");
        JsonNode user = stack.admin("POST", "/users",
                "{\"username\":\"dev\",\"name\":\"Dev\",\"email\":\"dev@example.com\"}");
        long userId = user.get("id").asLong();
        stack.admin("POST", "/groups/org/members", "{\"user_id\":" + userId + ",\"access_level\":10}");
        String token = stack.admin("POST", "/users/" + userId + "/personal_access_tokens",
                "{\"name\":\"podman\",\"scopes\":[\"read_registry\"]}").get("token").asText();
        Podman podman = new Podman(work.resolve("podman"));

        podman.run("login", "--tls-verify=false", "-u", "dev", "-p", token, stack.hostPort())
                .assertSuccess(List.of("podman login"));
        podman.run("pull", "--tls-verify=false", image).assertSuccess(List.of("podman pull"));

        assertThat(podman.run("images", "--format", "{{.Repository}}:{{.Tag}}").output())
                .contains("org/team/dependency_proxy/containers/app:v1");
    }

    @Test
    void containerdPullsWithADeployTokenThroughTheOAuth2Form() throws Exception {
        try (Containerd containerd = new Containerd(work.resolve("containerd"))) {
            containerd.start();
            containerd.pull(image, deployToken("org")).assertSuccess(List.of("ctr images pull"));
        }
    }

    private static String deployToken(String group) throws Exception {
        JsonNode created = stack.admin("POST", "/groups/" + group + "/deploy_tokens",
                "{\"name\":\"ci-" + System.nanoTime() + "\",\"scopes\":[\"read_registry\"]}");
        return created.get("username").asText() + ":" + created.get("token").asText();
    }
}

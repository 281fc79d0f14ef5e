package io.depproxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may pull, with the clients people use: a deploy token of a parent group pulls into its subgroup and one of a
 * sibling group is refused (skopeo); podman logs in with a personal access token and pulls; containerd, which asks
 * for its token with the OAuth2 POST form first, pulls with a deploy token.
 */
class AccessControlIT {
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static String image;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        e2e.pushImage(upstream, "library/app:v1", 7, 4_000, 300_000);
        stack = e2e.stackBehind(upstream.url());
        long org = stack.createGroup("org");
        stack.admin("POST", "/groups", "{\"name\":\"team\",\"path\":\"team\",\"parent_id\":" + org + "}");
        stack.createGroup("sibling");
        image = stack.hostPort() + "/org/team/dependency_proxy/containers/app:v1";
    }

    @Test
    void aDeployTokenOfTheParentGroupPullsIntoTheSubgroupAndOneOfASiblingIsRefused() throws Exception {
        Skopeo.pull(image, stack.deployToken("org"), e2e.dir("parent"))
                .assertSuccess(List.of("pull with parent token"));

        ExternalCommand.Result sibling = Skopeo.pull(image, stack.deployToken("sibling"), e2e.dir("sibling"));
        assertThat(sibling.exitCode()).as(sibling.output()).isNotZero();
        assertThat(ProxyStack.filesUnder(e2e.dir("sibling/blobs"))).isEmpty();
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
        Podman podman = new Podman(e2e.dir("podman"));

        podman.run("login", "--tls-verify=false", "-u", "dev", "-p", token, stack.hostPort())
                .assertSuccess(List.of("podman login"));
        podman.run("pull", "--tls-verify=false", image).assertSuccess(List.of("podman pull"));

        assertThat(podman.run("images", "--format", "{{.Repository}}:{{.Tag}}").output())
                .contains("org/team/dependency_proxy/containers/app:v1");
    }

    @Test
    void containerdPullsWithADeployTokenThroughTheOAuth2Form() throws Exception {
        try (Containerd containerd = new Containerd(e2e.dir("containerd"))) {
            containerd.start();
            containerd.pull(image, stack.deployToken("org")).assertSuccess(List.of("ctr images pull"));
        }
    }
}

package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group's pull policy against a real docker-registry upstream, with skopeo: {@code *:latest} denied and
 * {@code library/*} allowed (an allow list, so other images are denied). An allowed image is copied; a denied one
 * fails with the 403 DENIED and the rule in the message skopeo prints, the upstream is never asked for it, and the
 * dry run answers what the pulls got.
 */
class PullPolicyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "policy-e2e";
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static long groupId;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        OciImageLayout layout = e2e.newLayout();
        OciImageLayout.Image image = layout.image("amd64", 1_000, 64 * 1024);
        layout.tag("v1", image.manifest());
        layout.tag("latest", image.manifest());
        for (String name : List.of("library/web", "team/tool")) {
            Skopeo.push(layout.dir(), "v1", upstream.hostPort() + "/" + name + ":v1", false);
            Skopeo.push(layout.dir(), "latest", upstream.hostPort() + "/" + name + ":latest", false);
        }
        stack = e2e.stackBehind(upstream.url());
        groupId = stack.createGroup(GROUP);
        stack.admin("PUT", "/groups/" + groupId + "/dependency_proxy/policy", JSON.writeValueAsString(Map.of(
                "rules", List.of(Map.of("action", "deny", "image", "*", "tag", "latest"),
                        Map.of("action", "allow", "image", "library/*")))));
    }

    @Test
    void allowedImagesAreCopiedDeniedOnesFailWithTheRuleAndTheDryRunAgrees() throws Exception {
        String containers = stack.hostPort() + "/" + GROUP + "/dependency_proxy/containers/";
        // the pushes above reached the upstream too: count from here
        long latestBefore = upstreamPulls("/library/web/manifests/latest");
        long toolBefore = upstreamPulls("/team/tool/manifests/v1") + upstreamPulls("/team/tool/manifests/latest");

        Skopeo.pull(containers + "web:v1", CREDS, e2e.dir("allowed"))
                .assertSuccess(List.of("skopeo copy web:v1"));
        JsonNode allowed = check("web:v1");
        assertThat(allowed.get("decision").asText()).isEqualTo("allow");
        assertThat(allowed.get("rule").get("index").asInt()).isEqualTo(2);
        assertThat(allowed.get("image").asText()).isEqualTo("library/web");

        ExternalCommand.Result latest = Skopeo.pull(containers + "web:latest", CREDS, e2e.dir("latest"));
        JsonNode latestCheck = check("web:latest");
        assertThat(latestCheck.get("decision").asText()).isEqualTo("deny");
        assertThat(latestCheck.get("rule").get("index").asInt()).isEqualTo(1);
        assertThat(latest.exitCode()).as(latest.output()).isNotZero();
        // skopeo's log line quotes the message: \" for "
        assertThat(latest.output().replace("\\\"", "\"")).contains("denied: pull of library/web:latest")
                .contains(latestCheck.get("message").asText())
                .contains("is denied by rule 1 (deny image \"*\" tag \"latest\") of the policy of group " + GROUP);

        ExternalCommand.Result tool = Skopeo.pull(containers + "team/tool:v1", CREDS, e2e.dir("tool"));
        JsonNode toolCheck = check("team/tool:v1");
        assertThat(toolCheck.get("decision").asText()).isEqualTo("deny");
        assertThat(toolCheck.get("rule").isNull()).isTrue();
        assertThat(tool.exitCode()).as(tool.output()).isNotZero();
        assertThat(tool.output().replace("\\\"", "\"")).contains(toolCheck.get("message").asText())
                .contains("an allow list denies what it does not name");

        // the denied pulls never reached the upstream; the allowed one did
        assertThat(upstreamPulls("/library/web/manifests/v1")).isPositive();
        assertThat(upstreamPulls("/library/web/manifests/latest")).isEqualTo(latestBefore);
        assertThat(upstreamPulls("/team/tool/manifests/v1") + upstreamPulls("/team/tool/manifests/latest"))
                .isEqualTo(toolBefore);
    }

    private static long upstreamPulls(String pathSuffix) throws Exception {
        return upstream.requests("GET", pathSuffix) + upstream.requests("HEAD", pathSuffix);
    }

    private static JsonNode check(String image) throws Exception {
        return stack.admin("POST", "/groups/" + groupId + "/dependency_proxy/policy/check",
                JSON.writeValueAsString(Map.of("image", image)));
    }
}

package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
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
 * Three real upstream registries behind one cache: an anonymous one (the default, DP_UPSTREAM_URL), one with Basic
 * auth (htpasswd) and one with token auth, both added through the admin API. skopeo pulls by name from each and through a group's order; an
 * upstream's 404 falls through, its outage does not; a moved tag revalidates against the upstream that served it;
 * tags/list pages through the upstream and answers its last good page when the upstream is stopped. The two upstreams
 * with the instance's credentials serve by name only the groups the administrator listed them for, and a 401 of the
 * first upstream does not let the next answer for the same name unless the group sets fallback_on_auth_error. The
 * Basic password never shows in an API answer or a log line.
 */
class ManyUpstreamsIT {
    private static final String BASIC_USER = "e2e-robot";
    private static final String BASIC_PASSWORD = "e2e-b4sic-pa55word";
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry anonymous;
    private static UpstreamRegistry basic;
    private static UpstreamTokenServer tokenServer;
    private static UpstreamRegistry tokenAuth;
    private static ProxyStack stack;
    private static long basicId;
    private static long tokenId;
    private static long defaultId;

    @BeforeAll
    static void startEverything() throws Exception {
        anonymous = e2e.upstream("anonymous");
        basic = e2e.upstream(UpstreamRegistry.withBasicAuth(e2e.dir("basic"), BASIC_USER, BASIC_PASSWORD));
        tokenServer = e2e.closeAtEnd(
                new UpstreamTokenServer(e2e.dir("tokens"), BASIC_USER, BASIC_PASSWORD));
        tokenAuth = e2e.upstream(UpstreamRegistry.withTokenAuth(e2e.dir("token-auth"), tokenServer));
        stack = e2e.stackBehind(anonymous.url(), Map.of(
                "DP_TAGS_CACHE_TTL", "0s",
                // the token service is another loopback port than its registry: reached only when allow-listed
                "DP_OUTBOUND_ALLOW", URI.create(tokenServer.realm()).getAuthority()));
        basicId = stack.addUpstream(Map.of(
                "name", "basic.e2e", "url", basic.url(), "username", BASIC_USER, "secret", BASIC_PASSWORD));
        tokenId = stack.addUpstream(Map.of(
                "name", "token.e2e", "url", tokenAuth.url(), "username", BASIC_USER, "secret", BASIC_PASSWORD));
        for (JsonNode upstream : stack.admin("GET", "/dependency_proxy/upstreams", null)) {
            if (upstream.get("default").asBoolean()) {
                defaultId = upstream.get("id").asLong();
            }
        }
    }

    /** A fresh single-platform image pushed to {@code registry} as {@code name:tag}; returns its manifest digest. */
    private static String push(UpstreamRegistry registry, String name, String tag, long seed) throws Exception {
        String credentials = registry == anonymous ? null : BASIC_USER + ":" + BASIC_PASSWORD;
        return e2e.pushImage(registry, name + ":" + tag, credentials, seed, 1_000, 64 * 1024).manifest().digest();
    }

    /** The digest of what a pull of {@code ref} (through the proxy) wrote. */
    private static String pulledDigest(String ref, String label) throws Exception {
        Path out = e2e.dir("pulled-" + label);
        Skopeo.pull(ref, CREDS, out).assertSuccess(List.of("skopeo copy " + label));
        JsonNode index = JSON.readTree(Files.readString(out.resolve("index.json")));
        return index.get("manifests").get(0).get("digest").asText();
    }

    private static String containers(String group) {
        return stack.hostPort() + "/" + group + "/dependency_proxy/containers/";
    }

    /** A group whose upstream list the administrator sets to {@code upstreamIds}, in order. */
    private static long groupListing(String path, Long... upstreamIds) throws Exception {
        long group = stack.createGroup(path);
        stack.listUpstreams(group, List.of(upstreamIds));
        return group;
    }

    @Test
    void theConnectionTestLogsInToTheBasicUpstream() throws Exception {
        JsonNode report = stack.admin("POST", "/dependency_proxy/upstreams/" + basicId + "/test", null);
        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("auth_scheme").asText()).isEqualTo("basic");
        assertThat(report.get("authenticated_status").asInt()).isEqualTo(200);
    }

    @Test
    void pullsByNameFromEachUpstream() throws Exception {
        long group = stack.createGroup("by-name");
        String fromBasic = push(basic, "team/private", "v1", 11);
        String fromAnonymous = push(anonymous, "library/public", "v1", 12);
        // an upstream with the instance's credentials serves by name only the groups it is listed for
        ExternalCommand.Result unlisted = Skopeo.pull(containers("by-name") + "basic.e2e/team/private:v1", CREDS,
                e2e.dir("pulled-unlisted"));
        assertThat(unlisted.exitCode()).as(unlisted.output()).isNotZero();
        assertThat(unlisted.output()).contains("not served by any upstream this group may use");
        assertThat(basic.requests("HEAD", "/team/private/manifests/v1")).isZero();
        assertThat(basic.requests("GET", "/team/private/manifests/v1")).isZero();
        stack.admin("PUT", "/groups/" + group + "/dependency_proxy/upstreams",
                JSON.writeValueAsString(Map.of("upstream_ids", List.of(defaultId, basicId, tokenId))));
        // the group's pull decision is remembered for up to DP_DECISION_CACHE_TTL (5 s)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pulledDigest(
                containers("by-name") + "basic.e2e/team/private:v1", "by-name-basic")).isEqualTo(fromBasic));
        assertThat(pulledDigest(containers("by-name") + "127.0.0.1/public:v1", "by-name-anonymous"))
                .isEqualTo(fromAnonymous);
        assertThat(anonymous.requests("HEAD", "/team/private/manifests/v1")).isZero();
        String fromTokenAuth = push(tokenAuth, "team/tokened", "v1", 14);
        int tokensBefore = tokenServer.tokensIssued();
        assertThat(pulledDigest(containers("by-name") + "token.e2e/team/tokened:v1", "by-name-token"))
                .isEqualTo(fromTokenAuth);
        assertThat(tokenServer.tokensIssued()).isGreaterThan(tokensBefore);

        ExternalCommand.requireOnPath("podman");
        push(basic, "team/podman", "v1", 13);
        new Podman(e2e.dir("podman")).run("pull", "--tls-verify=false", "--creds", CREDS,
                containers("by-name") + "basic.e2e/team/podman:v1").assertSuccess(List.of("podman pull by name"));
        assertThat(basic.requests("GET", "/team/podman/manifests/v1")).isPositive();
    }

    @Test
    void theGroupsOrderFallsThroughA404ButNotAnOutageAndATagRevalidatesWhereItCameFrom() throws Exception {
        long group = stack.createGroup("ordered");
        stack.admin("PUT", "/groups/" + group + "/dependency_proxy/upstreams",
                JSON.writeValueAsString(Map.of("upstream_ids", List.of(defaultId, basicId))));
        String onlyOnBasic = push(basic, "shared", "v1", 21);
        assertThat(pulledDigest(containers("ordered") + "shared:v1", "ordered-fallthrough")).isEqualTo(onlyOnBasic);
        assertThat(anonymous.requests("HEAD", "/library/shared/manifests/v1")).isEqualTo(1);
        // finalize runs detached from the client: the record (and which upstream served it) lands just after
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                stack.admin("GET", "/groups/" + group + "/dependency_proxy/manifests", null).toString())
                .contains("shared:v1.json"));

        // the tag moves on the upstream that served it; the first upstream now has an image of that name too
        String moved = push(basic, "shared", "v1", 22);
        push(anonymous, "library/shared", "v1", 23);
        long anonymousHeads = anonymous.requests("HEAD", "/library/shared/manifests/v1");
        assertThat(pulledDigest(containers("ordered") + "shared:v1", "ordered-moved")).isEqualTo(moved);
        assertThat(anonymous.requests("HEAD", "/library/shared/manifests/v1")).isEqualTo(anonymousHeads);

        push(basic, "elsewhere", "v1", 24);
        anonymous.stop();
        try {
            ExternalCommand.Result refused = Skopeo.pull(containers("ordered") + "elsewhere:v1", CREDS,
                    e2e.dir("pulled-outage"));
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            assertThat(basic.requests("HEAD", "/elsewhere/manifests/v1")).isZero();
            assertThat(basic.requests("GET", "/elsewhere/manifests/v1")).isZero();
        } finally {
            anonymous.start();
        }
    }

    @Test
    void aRefusalOfTheFirstUpstreamStopsTheSearchUnlessTheGroupFallsThroughOnAuthErrors() throws Exception {
        long group = groupListing("confusion", basicId, defaultId);
        // the group's credentials for the private registry have expired; the public one has an image of that name
        stack.admin("PUT", "/groups/" + group + "/dependency_proxy/upstreams/" + basicId,
                JSON.writeValueAsString(Map.of("identity", BASIC_USER, "secret", "an-expired-password")));
        push(basic, "internal-tool", "v1", 51);
        String impostor = push(anonymous, "library/internal-tool", "v1", 52);

        ExternalCommand.Result stopped = Skopeo.pull(containers("confusion") + "internal-tool:v1", CREDS,
                e2e.dir("pulled-confusion-stopped"));
        assertThat(stopped.exitCode()).as(stopped.output()).isNotZero();
        assertThat(stopped.output()).contains("refused access");
        assertThat(anonymous.requests("HEAD", "/library/internal-tool/manifests/v1")).isZero();
        assertThat(anonymous.requests("GET", "/library/internal-tool/manifests/v1")).isZero();

        JsonNode list = stack.admin("PUT", "/groups/" + group + "/dependency_proxy/upstreams",
                "{\"fallback_on_auth_error\":true}");
        assertThat(list.get("fallback_on_auth_error").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pulledDigest(
                containers("confusion") + "internal-tool:v1", "confusion-fallback")).isEqualTo(impostor));
    }

    @Test
    void tagsListPagesThroughTheUpstreamAndSurvivesItsOutage() throws Exception {
        long group = groupListing("tags", basicId);
        push(basic, "listed", "a1", 31);
        push(basic, "listed", "b2", 32);
        push(basic, "listed", "c3", 33);
        pulledDigest(containers("tags") + "basic.e2e/listed:a1", "tags-cache");
        // finalize runs detached from the client: tags/list answers for a repository once it is cached here
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                stack.admin("GET", "/groups/" + group + "/dependency_proxy/manifests", null).toString())
                .contains("listed:a1.json"));
        RegistryHttp client = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
        String tags = "/v2/tags/dependency_proxy/containers/basic.e2e/listed/tags/list";

        HttpResponse<String> first = client.get(tags + "?n=2", HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("tags").toString()).isEqualTo("[\"a1\",\"b2\"]");
        String link = first.headers().firstValue("Link").orElseThrow();
        assertThat(link).isEqualTo("<" + tags + "?n=2&last=b2>; rel=\"next\"");
        HttpResponse<String> second = client.get(tags + "?n=2&last=b2", HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(second.body()).get("tags").toString()).isEqualTo("[\"c3\"]");
        assertThat(second.headers().firstValue("Link")).isEmpty();

        basic.stop();
        try {
            HttpResponse<String> stale = client.get(tags + "?n=2", HttpResponse.BodyHandlers.ofString());
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(stale.body()).get("tags").toString()).isEqualTo("[\"a1\",\"b2\"]");
            assertThat(stale.headers().firstValue("X-Dependency-Proxy-Cache")).contains("stale");
        } finally {
            basic.start();
        }
        assertThat(client.get("/v2/tags/dependency_proxy/containers/never-pulled/tags/list",
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void theBasicPasswordNeverShowsInAnswersOrLogs() throws Exception {
        groupListing("secrets", basicId);
        String digest = push(basic, "team/secret", "v1", 41);
        assertThat(pulledDigest(containers("secrets") + "basic.e2e/team/secret:v1", "secrets")).isEqualTo(digest);
        assertThat(stack.admin("GET", "/dependency_proxy/upstreams", null).toString()).doesNotContain(BASIC_PASSWORD);
        assertThat(stack.admin("GET", "/dependency_proxy/upstreams/" + basicId, null).toString())
                .doesNotContain(BASIC_PASSWORD).contains("\"secret_set\":true");
        String basicHeader = java.util.Base64.getEncoder().encodeToString(
                (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(stack.log()).doesNotContain(BASIC_PASSWORD).doesNotContain(basicHeader);
    }
}

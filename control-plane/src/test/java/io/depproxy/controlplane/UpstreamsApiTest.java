package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /api/v4/dependency_proxy/upstreams} and the group lists: validation, conflicts, write-only secrets. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class UpstreamsApiTest {
    private static final String UPSTREAMS = "/api/v4/dependency_proxy/upstreams";

    @InjectFakeRegistry
    FakeRegistry registry;

    static long createUpstream(String name, String url, Map<String, Object> more) {
        Map<String, Object> body = new java.util.HashMap<>(more);
        body.put("name", name);
        body.put("url", url);
        return asAdmin().contentType("application/json").body(body).post(UPSTREAMS)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void theDefaultUpstreamIsDpUpstreamUrlWithItsCredentialsWriteOnly() {
        String body = asAdmin().get(UPSTREAMS + "?per_page=100").then().statusCode(200).extract().asString();
        Map<String, Object> fallback = JsonPath.from(body).<Map<String, Object>>getList("").stream()
                .filter(u -> Boolean.TRUE.equals(u.get("default"))).findFirst().orElseThrow();
        assertThat(fallback).containsEntry("url", registry.baseUrl()).containsEntry("name", "127.0.0.1")
                .containsEntry("username", FakeRegistry.USERNAME).containsEntry("secret_set", true)
                .containsEntry("single_name_prefix", "library");
        assertThat(body).doesNotContain(FakeRegistry.PASSWORD).doesNotContain("encrypted");
    }

    @Test
    void createsReadsChangesAndDeletesAnUpstreamWithoutEverShowingItsSecret() {
        String name = unique("quay") + ".example";
        String created = asAdmin().contentType("application/json")
                .body(Map.of("name", name, "url", "https://quay.example/", "username", "robot", "secret", "s3cr3t-1"))
                .post(UPSTREAMS).then().statusCode(201).extract().asString();
        long id = JsonPath.from(created).getLong("id");
        assertThat(JsonPath.from(created).getString("url")).isEqualTo("https://quay.example");
        assertThat(JsonPath.from(created).getBoolean("secret_set")).isTrue();
        assertThat(JsonPath.from(created).getString("single_name_prefix")).isEmpty();
        assertThat(created).doesNotContain("s3cr3t-1");

        String changed = asAdmin().contentType("application/json")
                .body(Map.of("manifest_revalidate_after", 600, "username", "", "secret", ""))
                .put(UPSTREAMS + "/" + id).then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(changed).getInt("manifest_revalidate_after")).isEqualTo(600);
        assertThat(JsonPath.from(changed).getBoolean("secret_set")).isFalse();
        assertThat(JsonPath.from(changed).getString("username")).isNull();
        asAdmin().get(UPSTREAMS + "/" + id).then().statusCode(200).body("name", equalTo(name));

        asAdmin().delete(UPSTREAMS + "/" + id).then().statusCode(204);
        asAdmin().get(UPSTREAMS + "/" + id).then().statusCode(404).body("message", equalTo("404 Upstream Not Found"));
    }

    @Test
    void badInputIs400Or422AndDuplicatesAre409() {
        String name = unique("ghcr") + ".example";
        createUpstream(name, "https://ghcr.example", Map.of());
        record Bad(Map<String, Object> body, int status, String message) {
        }
        List<Bad> cases = List.of(
                new Bad(Map.of("url", "https://a.example"), 400, "400 Bad request - name is missing"),
                new Bad(Map.of("name", "a.example"), 400, "400 Bad request - url is missing"),
                new Bad(Map.of("name", "b.example", "url", "ftp://b.example"), 422, "422 Unprocessable Entity - url"),
                new Bad(Map.of("name", "c.example", "url", "c.example"), 422, "422 Unprocessable Entity - url"),
                new Bad(Map.of("name", "d.example", "url", "https://u:p@d.example"), 422,
                        "422 Unprocessable Entity - url"),
                new Bad(Map.of("name", "nodot", "url", "https://e.example"), 422, "422 Unprocessable Entity - name"),
                new Bad(Map.of("name", "Upper.Example", "url", "https://e.example"), 422,
                        "422 Unprocessable Entity - name"),
                new Bad(Map.of("name", "f.example", "url", "https://f.example", "username", "x"), 422,
                        "422 Unprocessable Entity - username and secret must be given together"),
                new Bad(Map.of("name", "g.example", "url", "https://g.example", "manifest_revalidate_after", -1), 422,
                        "422 Unprocessable Entity - manifest_revalidate_after"),
                new Bad(Map.of("name", "h.example", "url", "https://h.example", "manifest_revalidate_after", "x"), 400,
                        "400 Bad request - manifest_revalidate_after is invalid"),
                new Bad(Map.of("name", name, "url", "https://other.example"), 409,
                        "409 Conflict - name has already been taken"));
        for (Bad bad : cases) {
            asAdmin().contentType("application/json").body(bad.body()).post(UPSTREAMS)
                    .then().statusCode(bad.status()).body("message", startsWith(bad.message()));
        }
        asAdmin().contentType("application/json").body(Map.of("url", "https://x.example")).put(UPSTREAMS + "/999999999")
                .then().statusCode(404);
    }

    @Test
    void theDefaultUpstreamFollowsTheEnvironmentAndCannotBeDeleted() {
        long id = defaultUpstreamId();
        asAdmin().contentType("application/json").body(Map.of("url", "https://elsewhere.example"))
                .put(UPSTREAMS + "/" + id).then().statusCode(422).body("message", startsWith(
                        "422 Unprocessable Entity - the default upstream is configured by DP_UPSTREAM_URL"));
        asAdmin().delete(UPSTREAMS + "/" + id).then().statusCode(409);
    }

    @Test
    void onlyInstanceAdministratorsManageUpstreams() {
        long group = createGroup(unique("owners"), null);
        String owner = memberWithToken(group, GroupMember.OWNER);
        AdminApi.as(owner).get(UPSTREAMS).then().statusCode(403);
        AdminApi.as(owner).contentType("application/json").body(Map.of("name", "z.example", "url", "https://z.example"))
                .post(UPSTREAMS).then().statusCode(403);
        AdminApi.as("not-a-token").get(UPSTREAMS).then().statusCode(401);
    }

    @Test
    void anUpstreamAGroupStillListsCannotBeDeleted() {
        long upstream = createUpstream(unique("harbor") + ".example", "https://harbor.example", Map.of());
        long group = createGroup(unique("uses"), null);
        String lists = "/api/v4/groups/" + group + "/dependency_proxy/upstreams";
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstream, defaultUpstreamId())))
                .put(lists).then().statusCode(200).body("inherited", equalTo(false))
                .body("upstreams.upstream_id", equalTo(List.of((int) upstream, (int) defaultUpstreamId())));
        asAdmin().delete(UPSTREAMS + "/" + upstream).then().statusCode(409)
                .body("message", startsWith("409 Conflict - upstream"));
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of())).put(lists)
                .then().statusCode(200).body("inherited", equalTo(true));
        asAdmin().delete(UPSTREAMS + "/" + upstream).then().statusCode(204);
    }

    @Test
    void groupListsRejectUnknownAndRepeatedUpstreams() {
        long group = createGroup(unique("lists"), null);
        String lists = "/api/v4/groups/" + group + "/dependency_proxy/upstreams";
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(999_999_999L))).put(lists)
                .then().statusCode(422).body("message", startsWith("422 Unprocessable Entity - upstream 999999999"));
        long id = defaultUpstreamId();
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(id, id))).put(lists)
                .then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of("one"))).put(lists)
                .then().statusCode(400);
        asAdmin().contentType("application/json").body(Map.of("identity", "x", "secret", "y"))
                .put(lists + "/" + id).then().statusCode(404);
    }

    @Test
    void aGroupsCredentialsForAnUpstreamAreWriteOnly() {
        long group = createGroup(unique("creds"), null);
        String lists = "/api/v4/groups/" + group + "/dependency_proxy/upstreams";
        long id = defaultUpstreamId();
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(id))).put(lists)
                .then().statusCode(200);
        String answer = asAdmin().contentType("application/json").body(Map.of("identity", "team", "secret", "t0ps3cret"))
                .put(lists + "/" + id).then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(answer).getString("upstreams[0].identity")).isEqualTo("team");
        assertThat(JsonPath.from(answer).getBoolean("upstreams[0].secret_set")).isTrue();
        assertThat(answer).doesNotContain("t0ps3cret");
        assertThat(asAdmin().get(lists).then().statusCode(200).extract().asString()).doesNotContain("t0ps3cret");
        asAdmin().contentType("application/json").body(Map.of("identity", "team")).put(lists + "/" + id)
                .then().statusCode(422);
    }

    @Test
    void theConnectionTestReportsTheChallengeAndTheAnswerWithCredentials() {
        asAdmin().post(UPSTREAMS + "/" + defaultUpstreamId() + "/test").then().statusCode(200)
                .body("ok", equalTo(true)).body("status", equalTo(401)).body("auth_scheme", equalTo("bearer"))
                .body("realm", equalTo(registry.baseUrl() + "/token")).body("credentials_tried", equalTo(true))
                .body("authenticated_status", equalTo(200));
        long wrong = createUpstream(unique("wrong") + ".example", registry.baseUrl(),
                Map.of("username", "nobody", "secret", "wrong"));
        asAdmin().post(UPSTREAMS + "/" + wrong + "/test").then().statusCode(200)
                .body("ok", equalTo(false)).body("credentials_tried", equalTo(true));
        long unreachable = createUpstream(unique("gone") + ".example", "http://127.0.0.1:1", Map.of());
        asAdmin().post(UPSTREAMS + "/" + unreachable + "/test").then().statusCode(200)
                .body("ok", equalTo(false)).body("reachable", equalTo(false));
    }

    static long defaultUpstreamId() {
        return asAdmin().get(UPSTREAMS + "?per_page=100").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("").stream().filter(u -> Boolean.TRUE.equals(u.get("default")))
                .map(u -> ((Number) u.get("id")).longValue()).findFirst().orElseThrow();
    }
}

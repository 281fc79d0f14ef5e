package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What group owners may not do to the instance's credentials: turn on pulls without a login, or reach an upstream
 * with its instance-wide credentials when the group's list does not name it and it is not open to all groups. And
 * the refusal of a group's first upstream does not let a second registry answer for the same name unless the group
 * asks for it ({@code fallback_on_auth_error}).
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class UpstreamPrivilegesTest {
    private static final String UPSTREAMS = "/api/v4/dependency_proxy/upstreams";
    private static final Map<String, Object> CREDENTIALS =
            Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD);

    /** An upstream with the instance's credentials, closed (the default for one with credentials). */
    private static FakeRegistry closed;
    private static String closedName;
    private static long closedId;
    /** A second registry that has the same names. */
    private static FakeRegistry impostor;
    private static long impostorId;

    @BeforeEach
    void registerUpstreams() {
        if (closed != null) {
            return;
        }
        closed = FakeRegistry.start();
        impostor = FakeRegistry.start();
        closedName = unique("private") + ".test";
        closedId = UpstreamsApiTest.createUpstream(closedName, closed.baseUrl(), CREDENTIALS);
        impostorId = UpstreamsApiTest.createUpstream(unique("public") + ".test", impostor.baseUrl(), CREDENTIALS);
    }

    @AfterAll
    static void stopUpstreams() {
        if (closed != null) {
            closed.close();
            impostor.close();
        }
    }

    private static byte[] manifest(String text) {
        return ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String settings(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/settings";
    }

    private static String lists(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/upstreams";
    }

    private static Response putList(String token, long groupId, Map<String, Object> body) {
        return as(token).contentType("application/json").body(body).put(lists(groupId));
    }

    private static void adminSetsList(long groupId, List<Long> upstreamIds) {
        putList(adminToken(), groupId, Map.of("upstream_ids", upstreamIds)).then().statusCode(200);
    }

    private static void setOpen(long upstreamId, boolean open) {
        asAdmin().contentType("application/json").body(Map.of("open_to_all_groups", open))
                .put(UPSTREAMS + "/" + upstreamId).then().statusCode(200).body("open_to_all_groups", equalTo(open));
    }

    private static SendDependency fetchOf(Response response) {
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }

    private static void assertNameUnknown(Response response) {
        response.then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void onlyAnInstanceAdministratorChangesAnonymousPull() {
        long groupId = createGroup(unique("anon"), null);
        String owner = memberWithToken(groupId, GroupMember.OWNER);

        as(owner).contentType("application/json").body(Map.of("anonymous_pull", true)).put(settings(groupId))
                .then().statusCode(403).body("message", equalTo("403 Forbidden - only an instance administrator may"
                        + " change anonymous_pull: it lets anyone who can reach the registry pull through this group"
                        + " with its upstream credentials"));
        asAdmin().get(settings(groupId)).then().body("anonymous_pull", equalTo(false));
        // a request that does not change it is an owner's to make
        as(owner).contentType("application/json").body(Map.of("anonymous_pull", false, "manifest_revalidate_after", 30))
                .put(settings(groupId)).then().statusCode(200).body("manifest_revalidate_after", equalTo(30));

        asAdmin().contentType("application/json").body(Map.of("anonymous_pull", true)).put(settings(groupId))
                .then().statusCode(200).body("anonymous_pull", equalTo(true));
        as(owner).contentType("application/json").body(Map.of("anonymous_pull", true, "enabled", true))
                .put(settings(groupId)).then().statusCode(200).body("anonymous_pull", equalTo(true));
        as(owner).formParam("manifest_revalidate_after", "60").put(settings(groupId)).then().statusCode(200)
                .body("anonymous_pull", equalTo(true));
        as(owner).formParam("anonymous_pull", "false").put(settings(groupId)).then().statusCode(403);
        asAdmin().get(settings(groupId)).then().body("anonymous_pull", equalTo(true))
                .body("manifest_revalidate_after", equalTo(60));
    }

    @Test
    void aPullByNameOfAnUpstreamTheGroupMayNotUseIsNameUnknownAndReachesNobody() {
        String image = unique("app");
        String blob = closed.putBlob("org/" + image, "layer".getBytes(StandardCharsets.UTF_8));
        closed.putManifest("org/" + image, "1", MediaTypes.OCI_MANIFEST, manifest("private"));
        String group = unique("team");
        long groupId = createGroup(group, null);
        String byName = closedName + "/org/" + image;

        assertNameUnknown(asRoot().get(path(group, byName, "manifests", "1")));
        asRoot().head(path(group, byName, "manifests", "1")).then().statusCode(404);
        assertNameUnknown(asRoot().get(path(group, byName, "blobs", blob)));
        assertNameUnknown(asRoot().get("/v2/" + group + "/dependency_proxy/containers/" + byName + "/tags/list"));
        String message = asRoot().get(path(group, byName, "manifests", "1")).jsonPath().getString("errors[0].message");
        assertThat(message).isEqualTo("repository " + byName + " is not served by any upstream this group may use");
        assertThat(closed.requestsFor("org/" + image)).isEmpty();

        // the administrator lists it for the group: the same pull goes to that upstream
        adminSetsList(groupId, List.of(closedId, UpstreamsApiTest.defaultUpstreamId()));
        assertThat(fetchOf(asRoot().get(path(group, byName, "manifests", "1"))).url())
                .isEqualTo(closed.baseUrl() + "/v2/org/" + image + "/manifests/1");
        adminSetsList(groupId, List.of());
        assertNameUnknown(asRoot().get(path(group, byName, "manifests", "1")));

        // or opens it to every group
        setOpen(closedId, true);
        try {
            assertThat(fetchOf(asRoot().get(path(group, byName, "manifests", "1"))).url())
                    .startsWith(closed.baseUrl());
            asAdmin().get(lists(groupId)).then().body("open_upstreams.name", hasItem(closedName));
        } finally {
            setOpen(closedId, false);
        }
        assertNameUnknown(asRoot().get(path(group, byName, "manifests", "1")));
        asAdmin().get(lists(groupId)).then().body("open_upstreams.name", not(hasItem(closedName)));
    }

    @Test
    void ownersListWhatTheGroupAlreadyUsesAndOpenUpstreamsOnly() {
        long groupId = createGroup(unique("owned"), null);
        String owner = memberWithToken(groupId, GroupMember.OWNER);
        long defaultId = UpstreamsApiTest.defaultUpstreamId();
        long openId = UpstreamsApiTest.createUpstream(unique("open") + ".test", "https://open.example", Map.of());

        putList(owner, groupId, Map.of("upstream_ids", List.of(closedId, defaultId))).then().statusCode(403)
                .body("message", equalTo("403 Forbidden - only an instance administrator may add upstream "
                        + closedName + " to a group's list: it is not open to all groups, and the group would pull"
                        + " with its instance-wide credentials"));
        asAdmin().get(lists(groupId)).then().body("inherited", equalTo(true));
        putList(owner, groupId, Map.of("upstream_ids", List.of(openId, defaultId))).then().statusCode(200)
                .body("upstreams.open_to_all_groups", equalTo(List.of(true, true)));

        adminSetsList(groupId, List.of(defaultId, closedId));
        putList(owner, groupId, Map.of("upstream_ids", List.of(closedId, defaultId))).then().statusCode(200)
                .body("upstreams.upstream_id", equalTo(List.of((int) closedId, (int) defaultId)))
                .body("upstreams[0].open_to_all_groups", equalTo(false));
        putList(owner, groupId, Map.of("upstream_ids", List.of(defaultId))).then().statusCode(200);
        putList(owner, groupId, Map.of("upstream_ids", List.of(defaultId, closedId))).then().statusCode(403);

        // a subgroup's owner may keep what its parent's list gives it
        adminSetsList(groupId, List.of(closedId));
        long childId = createGroup("child", groupId);
        String childOwner = memberWithToken(childId, GroupMember.OWNER);
        putList(childOwner, childId, Map.of("upstream_ids", List.of(closedId))).then().statusCode(200)
                .body("inherited", equalTo(false));
    }

    @Test
    void upstreamsShowWhetherTheyAreOpenAndCredentialsCloseThem() {
        long defaultId = UpstreamsApiTest.defaultUpstreamId();
        asAdmin().get(UPSTREAMS + "/" + defaultId).then().body("open_to_all_groups", equalTo(true));
        asAdmin().get(UPSTREAMS + "/" + closedId).then().body("open_to_all_groups", equalTo(false));
        long anonymous = UpstreamsApiTest.createUpstream(unique("anon") + ".test", "https://anon.example", Map.of());
        asAdmin().get(UPSTREAMS + "/" + anonymous).then().body("open_to_all_groups", equalTo(true));
        long chosen = UpstreamsApiTest.createUpstream(unique("chosen") + ".test", "https://chosen.example",
                Map.of("username", "robot", "secret", "s", "open_to_all_groups", true));
        asAdmin().get(UPSTREAMS + "/" + chosen).then().body("open_to_all_groups", equalTo(true));

        asAdmin().contentType("application/json").body(Map.of("username", "robot", "secret", "s"))
                .put(UPSTREAMS + "/" + anonymous).then().statusCode(200).body("open_to_all_groups", equalTo(false));
        asAdmin().contentType("application/json").body(Map.of("open_to_all_groups", "maybe"))
                .put(UPSTREAMS + "/" + anonymous).then().statusCode(400);

        // the default upstream follows the environment, but whether it is open is the administrator's choice
        setOpen(defaultId, false);
        setOpen(defaultId, true);
        asAdmin().get(UPSTREAMS + "?per_page=100").then().body("find { it.id == " + closedId + " }.open_to_all_groups",
                equalTo(false));
    }

    @Test
    void aRefusalOfTheFirstUpstreamEndsTheSearchUnlessTheGroupFallsThroughOnAuthErrors() {
        for (int refusal : new int[] {401, 403}) {
            String image = unique("confused");
            closed.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("private"));
            impostor.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("impostor"));
            closed.failRepository(image, refusal);
            String group = unique("ordered");
            long groupId = createGroup(group, null);
            adminSetsList(groupId, List.of(closedId, impostorId));

            Response stopped = asRoot().get(path(group, image, "manifests", "1"));
            stopped.then().statusCode(403).header("WWW-Authenticate", nullValue())
                    .body("errors[0].code", equalTo("DENIED"));
            assertThat(stopped.jsonPath().getString("errors[0].message")).contains(closedName, "refused access");
            asRoot().head(path(group, image, "manifests", "1")).then().statusCode(403);
            assertThat(impostor.requestsFor(image)).isEmpty();

            String owner = memberWithToken(groupId, GroupMember.OWNER);
            putList(owner, groupId, Map.of("fallback_on_auth_error", true)).then().statusCode(200)
                    .body("fallback_on_auth_error", equalTo(true)).body("fallback_on_error", equalTo(false));
            assertThat(fetchOf(asRoot().get(path(group, image, "manifests", "1"))).url())
                    .isEqualTo(impostor.baseUrl() + "/v2/" + image + "/manifests/1");

            long childId = createGroup("child", groupId);
            asAdmin().get(lists(childId)).then().body("inherited", equalTo(true))
                    .body("fallback_on_auth_error", equalTo(true));
            closed.failRepository(image, 0);
        }
    }
}

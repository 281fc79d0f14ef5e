package io.depproxy.controlplane.web;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.AdminPageBrowser;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The upstream, group upstream and prefetch pages: who may use which (administrators, owners, developers, as the
 * API), CSRF refusal, write-only credentials, the connection test's outcome as health, a refused deletion naming the
 * groups, and the prefetch job's JSON progress for the job page's script.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class AdminOperationsPagesTest {
    private static final String UPSTREAMS_API = "/api/v4/dependency_proxy/upstreams";
    private static final String UPSTREAMS = "/admin/upstreams";

    @InjectFakeRegistry
    FakeRegistry registry;

    private static long createUpstream(String name, String url) {
        return asAdmin().contentType("application/json").body(Map.of("name", name, "url", url)).post(UPSTREAMS_API)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static long idOf(Response created) {
        String location = created.getHeader("Location");
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1, location.indexOf('?')));
    }

    @Test
    void onlyInstanceAdministratorsSeeAndChangeUpstreams() {
        long groupId = createGroup(unique("owned"), null);
        AdminPageBrowser owner = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.OWNER));
        owner.get("/admin/groups").then().statusCode(200).body(not(containsString("href=\"/admin/upstreams\"")));
        owner.get(UPSTREAMS).then().statusCode(403).contentType(containsString("text/html"));
        owner.post("/admin/groups", UPSTREAMS, "name", unique("owner") + ".example", "url", "https://o.example")
                .then().statusCode(403);

        AdminPageBrowser admin = AdminPageBrowser.signIn(adminToken());
        admin.get("/admin/groups").then().statusCode(200).body(containsString("href=\"/admin/upstreams\""));
        admin.get(UPSTREAMS).then().statusCode(200).body(containsString("id=\"create-upstream\""));
        String forgedName = unique("forged") + ".example";
        admin.postForged(UPSTREAMS, "name", forgedName, "url", "https://forged.example").then().statusCode(403)
                .body(containsString("CSRF token"));
        assertThat(asAdmin().get(UPSTREAMS_API + "?per_page=100").asString()).doesNotContain(forgedName);
    }

    @Test
    void anAddedUpstreamIsTestedItsSecretNeverShownAndAnEmptySecretKeepsIt() {
        AdminPageBrowser admin = AdminPageBrowser.signIn(adminToken());
        String name = unique("registry") + ".example";
        Response created = admin.post(UPSTREAMS, UPSTREAMS, "name", name, "url", registry.baseUrl(),
                "username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD, "open_to_all_groups", "");
        created.then().statusCode(303).header("Location", startsWith(UPSTREAMS + "/"));
        long id = idOf(created);
        String page = UPSTREAMS + "/" + id;
        asAdmin().get(UPSTREAMS_API + "/" + id).then().body("secret_set", equalTo(true))
                .body("open_to_all_groups", equalTo(false));
        admin.get(page).then().statusCode(200).body(not(containsString(FakeRegistry.PASSWORD)))
                .body(containsString("Not tested on this server yet"));

        admin.post(page, page + "/test").then().statusCode(200).body(containsString("Healthy"))
                .body(containsString("answered 401, asking for a token from " + registry.baseUrl() + "/token"))
                .body(containsString("With the stored credentials it answered 200"));
        String list = admin.get(UPSTREAMS + "?per_page=100").then().statusCode(200).extract().asString();
        String row = list.substring(list.indexOf(">" + name + "<"));
        assertThat(row.substring(0, row.indexOf("</tr>"))).contains("Healthy");

        // saved with the secret field empty: the credentials stay, the last test no longer applies
        admin.post(page, page, "name", name, "url", registry.baseUrl() + "/", "username", FakeRegistry.USERNAME,
                "secret", "", "manifest_revalidate_after", "60", "open_to_all_groups", "")
                .then().statusCode(303).header("Location", page + "?notice=upstream_saved");
        asAdmin().get(UPSTREAMS_API + "/" + id).then().body("secret_set", equalTo(true))
                .body("username", equalTo(FakeRegistry.USERNAME)).body("manifest_revalidate_after", equalTo(60));
        admin.get(page).then().body(containsString("Not tested on this server yet"));

        // a refused value: the API's message and status, the typed values kept
        admin.post(page, page, "name", name, "url", "ftp://typed.example", "username", FakeRegistry.USERNAME,
                "secret", "").then().statusCode(422).body(containsString("url must be an absolute http or https URL"))
                .body(containsString("value=\"ftp://typed.example\""));

        admin.post(page, page, "name", name, "url", registry.baseUrl(), "username", "nobody", "secret", "wrong")
                .then().statusCode(303);
        admin.post(page, page + "/test").then().statusCode(200).body(containsString("Failing"));
        admin.post(page, page, "name", name, "url", registry.baseUrl(), "clear_credentials", "true", "username",
                "nobody", "secret", "").then().statusCode(303);
        asAdmin().get(UPSTREAMS_API + "/" + id).then().body("secret_set", equalTo(false));
    }

    @Test
    void aRefusedDeletionNamesTheGroupsThatStillListTheUpstream() {
        long upstream = createUpstream(unique("harbor") + ".example", "https://harbor.example");
        String path = unique("lists-it");
        long groupId = createGroup(path, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstream)))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
        AdminPageBrowser admin = AdminPageBrowser.signIn(adminToken());
        String page = UPSTREAMS + "/" + upstream;

        admin.post(page, page + "/delete", "confirm", "true").then().statusCode(409)
                .contentType(containsString("text/html"))
                .body(containsString("is in the upstream list of 1 group (" + path + ")"));
        asAdmin().get(UPSTREAMS_API + "/" + upstream).then().statusCode(200);

        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of()))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
        admin.post(page, page + "/delete", "confirm", "true").then().statusCode(303)
                .header("Location", UPSTREAMS + "?notice=upstream_deleted");
        asAdmin().get(UPSTREAMS_API + "/" + upstream).then().statusCode(404);
    }

    @Test
    void ownersOrderTheGroupsUpstreamsAndSetFallbackDevelopersOnlyRead() {
        long open = createUpstream(unique("mirror") + ".example", "https://mirror.example");
        long groupId = createGroup(unique("ordered"), null);
        String api = "/api/v4/groups/" + groupId + "/dependency_proxy/upstreams";
        String page = "/admin/groups/" + groupId + "/upstreams";
        long defaultId = asAdmin().get(api).then().extract().jsonPath().getLong("upstreams[0].upstream_id");

        AdminPageBrowser owner = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.OWNER));
        String shown = owner.get(page).then().statusCode(200).extract().asString();
        assertThat(shown).contains("id=\"inherited\"", "<option value=\"" + open + "\"");
        owner.post(page, page, "upstream_ids", String.valueOf(defaultId), "upstream_ids", String.valueOf(open))
                .then().statusCode(303).header("Location", page + "?notice=group_upstreams_saved");
        asAdmin().get(api).then().body("upstreams.upstream_id", equalTo(List.of((int) defaultId, (int) open)));
        // the page's "up" button of the second upstream posts the list with the two exchanged
        String moved = owner.get(page).then().statusCode(200).extract().asString();
        assertThat(moved).contains("name=\"upstream_ids\" value=\"" + open + "," + defaultId + "\"");
        owner.post(page, page, "upstream_ids", open + "," + defaultId).then().statusCode(303);
        asAdmin().get(api).then().body("upstreams.upstream_id", equalTo(List.of((int) open, (int) defaultId)));

        owner.post(page, page, "fallback_on_error", "false", "fallback_on_error", "true",
                "fallback_on_auth_error", "false").then().statusCode(303);
        asAdmin().get(api).then().body("fallback_on_error", equalTo(true)).body("fallback_on_auth_error", equalTo(false));
        owner.post(page, page, "upstream_ids", open + "," + open).then().statusCode(422)
                .body(containsString("upstream_ids lists an upstream twice"));
        owner.postForged(page, "upstream_ids", String.valueOf(defaultId)).then().statusCode(403);

        AdminPageBrowser developer = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.DEVELOPER));
        developer.get(page).then().statusCode(200).body(containsString("group-upstreams"));
        developer.post(page, page, "upstream_ids", String.valueOf(defaultId)).then().statusCode(403);
        asAdmin().get(api).then().body("upstreams.upstream_id", equalTo(List.of((int) open, (int) defaultId)));
    }

    @Test
    void developersStartAPrefetchAndItsProgressIsReadableAsJson() {
        long groupId = createGroup(unique("prefetch"), null);
        String page = "/admin/groups/" + groupId + "/prefetch";
        AdminPageBrowser developer = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.DEVELOPER));

        developer.post(page, page, "images", "", "platforms", "linux/amd64").then().statusCode(400)
                .body(containsString("images: between 1 and 100")).body(containsString("value=\"linux/amd64\""));
        Response started = developer.post(page, page, "images", "app:v1\r\nother:v2", "platforms", "linux/amd64");
        started.then().statusCode(303).header("Location", startsWith(page + "/"));
        String job = started.getHeader("Location");
        developer.get(job).then().statusCode(200).body(containsString("data-progress=\"" + job + "/progress\""))
                .body(containsString("app:v1")).body(containsString("other:v2"));
        developer.get(job + "/progress").then().statusCode(200).contentType(containsString("application/json"))
                .body("images_total", equalTo(2)).body("platforms", equalTo(List.of("linux/amd64")))
                .body("images.reference", equalTo(List.of("app:v1", "other:v2")));
        developer.get(page).then().statusCode(200).body(containsString("href=\"" + job + "\""));

        AdminPageBrowser guest = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.GUEST));
        guest.get(job).then().statusCode(200);
        guest.post(page, page, "images", "app:v1").then().statusCode(403);
        developer.postForged(page, "images", "app:v1").then().statusCode(403);
        AdminPageBrowser outsider = AdminPageBrowser.signIn(memberWithToken(createGroup(unique("other"), null),
                GroupMember.OWNER));
        outsider.get(job + "/progress").then().statusCode(404);
    }
}

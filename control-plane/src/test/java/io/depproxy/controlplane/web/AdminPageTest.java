package io.depproxy.controlplane.web;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.AdminApi.userWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.AdminPageBrowser;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class AdminPageTest {
    @Inject
    GroupStatisticsRepository statistics;

    private static String ttlPolicy(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy";
    }

    private static String settingsPage(long groupId) {
        return "/admin/groups/" + groupId + "/settings";
    }

    @Test
    void signInSetsAnHttpOnlyStrictSessionCookieForTheAdminPathOnly() {
        Response plain = AdminPageBrowser.postSignIn(adminToken());
        plain.then().statusCode(303).header("Location", "/admin/groups");
        assertThat(AdminPageBrowser.sessionCookieHeader(plain)).contains("; HttpOnly", "; SameSite=Strict",
                "; Path=/admin").doesNotContain("Secure");

        Response overHttps = AdminPageBrowser.postSignIn(given().header("X-Forwarded-Proto", "https"), adminToken());
        overHttps.then().statusCode(303);
        assertThat(AdminPageBrowser.sessionCookieHeader(overHttps)).contains("; Secure", "; HttpOnly",
                "; SameSite=Strict");
    }

    @Test
    void theSignInFormIsRefusedWithoutItsOwnCookieAndToken() {
        Response form = given().get("/admin/sign_in");
        String formCookie = form.getCookie(AdminPageBrowser.SIGN_IN_COOKIE);
        assertThat(form.getHeader("Set-Cookie")).contains("; HttpOnly", "; SameSite=Strict", "; Path=/admin");

        Response withoutCookie = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf_token", formCookie).formParam("token", adminToken()).post("/admin/sign_in");
        withoutCookie.then().statusCode(403).body(containsString("sign in again"));
        assertThat(AdminPageBrowser.sessionCookieHeader(withoutCookie)).isNull();

        given().redirects().follow(false).cookie(AdminPageBrowser.SIGN_IN_COOKIE, formCookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf_token", "forged")
                .formParam("token", adminToken()).post("/admin/sign_in").then().statusCode(403);
    }

    @Test
    void aWrongTokenGetsTheSignInPageAgainWith401AndNoCookie() {
        Response refused = AdminPageBrowser.postSignIn("glpat-not-a-token");
        refused.then().statusCode(401).contentType(containsString("text/html"))
                .body(containsString("unknown, expired or revoked"));
        assertThat(AdminPageBrowser.sessionCookieHeader(refused)).isNull();

        String readOnly = userWithToken(unique("reader"), "read_registry");
        AdminPageBrowser.postSignIn(readOnly).then().statusCode(403).body(containsString("api or admin scope"));
    }

    @Test
    void pagesWithoutASessionSendTheBrowserToSignIn() {
        given().redirects().follow(false).get("/admin/groups").then().statusCode(303)
                .header("Location", "/admin/sign_in");
        given().redirects().follow(false).cookie(AdminPageBrowser.COOKIE, "x".repeat(43)).get("/admin/groups")
                .then().statusCode(303).header("Location", "/admin/sign_in");
    }

    @Test
    void aFormPostedWithoutTheSessionsCsrfTokenIs403AndChangesNothing() {
        long groupId = createGroup(unique("csrf"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String action = "/admin/groups/" + groupId + "/ttl_policy";

        browser.postForged(action, "enabled", "true", "ttl", "5").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("CSRF token"));
        browser.postForged(action, "csrf_token", "forged", "enabled", "true", "ttl", "5").then().statusCode(403);
        String otherSessionsToken = AdminPageBrowser.signIn(adminToken()).csrfToken("/admin/groups");
        browser.postForged(action, "csrf_token", otherSessionsToken, "enabled", "true", "ttl", "5")
                .then().statusCode(403);

        asAdmin().get(ttlPolicy(groupId)).then().statusCode(200).body("enabled", equalTo(false))
                .body("ttl", equalTo(90));
    }

    @Test
    void theTtlFormChangesThePolicyAndABadValueShowsTheApisMessage() {
        long groupId = createGroup(unique("ttl"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String action = "/admin/groups/" + groupId + "/ttl_policy";

        browser.post(settingsPage(groupId), action, "enabled", "false", "enabled", "true", "ttl", "14")
                .then().statusCode(303).header("Location", settingsPage(groupId) + "?notice=ttl_saved");
        asAdmin().get(ttlPolicy(groupId)).then().body("enabled", equalTo(true)).body("ttl", equalTo(14));

        browser.post(settingsPage(groupId), action, "enabled", "false", "ttl", "0").then().statusCode(422)
                .contentType(containsString("text/html"))
                .body(containsString("Days without a pull before an object expires must be between 1 and 3650."));
        browser.post(settingsPage(groupId), action, "enabled", "false", "ttl", "soon").then().statusCode(400)
                .body(containsString("Days without a pull before an object expires is invalid."));
        asAdmin().get(ttlPolicy(groupId)).then().body("enabled", equalTo(true)).body("ttl", equalTo(14));
    }

    @Test
    void ownersSeeAnonymousPullReadOnlyAndOnlyAnAdministratorChangesItOnTheSettingsForm() {
        long groupId = createGroup(unique("anon-form"), null);
        String settings = "/api/v4/groups/" + groupId + "/dependency_proxy/settings";
        String action = settingsPage(groupId);
        AdminPageBrowser owner = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.OWNER));

        String ownersPage = owner.get(settingsPage(groupId)).then().statusCode(200).extract().asString();
        assertThat(ownersPage).contains("id=\"settings-anonymous\" disabled")
                .doesNotContain("name=\"anonymous_pull\"")
                .contains("Only an instance administrator may change this");
        // the owner's form (which does not send anonymous_pull) saves the other settings
        owner.post(settingsPage(groupId), action, "enabled", "false", "enabled", "true",
                "manifest_revalidate_after", "30").then().statusCode(303);
        asAdmin().get(settings).then().body("manifest_revalidate_after", equalTo(30))
                .body("anonymous_pull", equalTo(false));
        // a hand-made post of it is the API's 403, with its reason
        owner.post(settingsPage(groupId), action, "anonymous_pull", "true").then().statusCode(403)
                .contentType(containsString("text/html"))
                .body(containsString("only an instance administrator may change anonymous_pull"));
        asAdmin().get(settings).then().body("anonymous_pull", equalTo(false));

        AdminPageBrowser admin = AdminPageBrowser.signIn(adminToken());
        assertThat(admin.get(settingsPage(groupId)).then().statusCode(200).extract().asString())
                .contains("name=\"anonymous_pull\" value=\"true\"");
        admin.post(settingsPage(groupId), action, "enabled", "true", "anonymous_pull", "false", "anonymous_pull",
                "true").then().statusCode(303);
        asAdmin().get(settings).then().body("anonymous_pull", equalTo(true));
        assertThat(owner.get(settingsPage(groupId)).asString()).contains("id=\"settings-anonymous\" disabled checked");
        owner.post(settingsPage(groupId), action, "enabled", "false", "enabled", "true").then().statusCode(303);
        asAdmin().get(settings).then().body("anonymous_pull", equalTo(true));
    }

    @Test
    void aUserSeesOnlyWhatTheApiLetsThemSee() {
        long groupId = createGroup(unique("perm"), null);
        AdminPageBrowser outsider = AdminPageBrowser.signIn(userWithToken(unique("outsider"), "api"));
        outsider.get("/admin/groups/" + groupId).then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Group Not Found"));
        outsider.get("/admin/groups").then().statusCode(200).body(not(containsString("/admin/groups/" + groupId + "\"")));

        AdminPageBrowser guest = AdminPageBrowser.signIn(memberWithToken(groupId, GroupMember.GUEST));
        guest.get("/admin/groups/" + groupId).then().statusCode(200).body(containsString("dependency_proxy/containers"));
        guest.post(settingsPage(groupId), "/admin/groups/" + groupId + "/ttl_policy", "enabled", "true", "ttl", "3")
                .then().statusCode(403);
        guest.post("/admin/groups/" + groupId + "/purge", "/admin/groups/" + groupId + "/purge", "confirm", "x")
                .then().statusCode(400);
        asAdmin().get(ttlPolicy(groupId)).then().body("ttl", equalTo(90));
    }

    @Test
    void signingOutEndsTheSessionEverywhere() {
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        browser.get("/admin/groups").then().statusCode(200);

        Response out = browser.post("/admin/groups", "/admin/sign_out");
        out.then().statusCode(303).header("Location", "/admin/sign_in?notice=signed_out");
        assertThat(out.getHeader("Set-Cookie")).contains("Max-Age=0", "Path=/admin");
        browser.get("/admin/groups").then().statusCode(303).header("Location", "/admin/sign_in");
    }

    @Test
    void signingInAgainEndsTheBrowsersPreviousSession() {
        AdminPageBrowser first = AdminPageBrowser.signIn(adminToken());
        String second = AdminPageBrowser.postSignIn(first.request(), adminToken()).then().statusCode(303)
                .extract().cookie(AdminPageBrowser.COOKIE);

        assertThat(second).isNotEqualTo(first.session());
        first.get("/admin/groups").then().statusCode(303).header("Location", "/admin/sign_in");
        given().redirects().follow(false).cookie(AdminPageBrowser.COOKIE, second).get("/admin/groups")
                .then().statusCode(200);
    }

    @Test
    void purgeNeedsTheTypedGroupPath() {
        String path = unique("purge");
        long groupId = createGroup(path, null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String page = "/admin/groups/" + groupId + "/purge";

        browser.post(page, page, "confirm", "something else").then().statusCode(400)
                .body(containsString("to confirm the purge"));
        browser.post(page, page, "confirm", path).then().statusCode(303)
                .header("Location", "/admin/groups/" + groupId + "?notice=purge_started");
    }

    @Test
    void aDeployTokenIsShownOnceAndCanBeRevoked() {
        long groupId = createGroup(unique("tokens"), null);
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        String page = "/admin/groups/" + groupId + "/deploy_tokens";

        Response created = browser.post(page, page, "name", "ci", "scopes", "read_registry");
        created.then().statusCode(201).body(containsString("not shown again"));
        String token = created.htmlPath().getString("**.find { it.@id == 'created-secret' }.@value");
        assertThat(token).startsWith("gldt-");
        browser.get(page).then().statusCode(200).body(not(containsString(token))).body(containsString("Revoke"));

        long tokenId = asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens").then().extract().jsonPath()
                .getLong("[0].id");
        browser.post(page, page + "/" + tokenId + "/revoke", "confirm", "true").then().statusCode(303);
        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens/" + tokenId).then().body("revoked", equalTo(true));

        browser.post(page, page, "name", " ", "scopes", "read_registry").then().statusCode(422)
                .body(containsString("Name is invalid."));
    }

    @Test
    void theOverviewShowsThePrefixTheLoginLineAndAChart() {
        String path = unique("overview");
        long groupId = createGroup(path, null);
        createGroup("platform", groupId);
        String html = AdminPageBrowser.signIn(adminToken()).get("/admin/groups/" + groupId).then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Cache-Control", "no-store").extract().asString();
        assertThat(html).contains("/" + path + "/dependency_proxy/containers", "docker login ", " -u root",
                "docker pull ", "<svg", "Hit ratio",
                "/" + path + "/platform/dependency_proxy/containers");
    }

    @Test
    void theChartDrawsTodaysBytesFromTheDailyCounters() {
        long groupId = createGroup(unique("chart"), null);
        QuarkusTransaction.requiringNew().run(() -> {
            statistics.add(groupId, new GroupStatisticsRepository.Counters(3, 1, 3 * 1024, 2048));
            statistics.add(groupId, new GroupStatisticsRepository.Counters(1, 0, 1024, 0));
        });
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        String html = AdminPageBrowser.signIn(adminToken()).get("/admin/groups/" + groupId).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("<title>" + today + ": 4.0 KiB from cache, 2.0 KiB upstream</title>",
                "4 hits, 1 misses", "80.0 %");
        assertThat(statistics.recentDays(groupId, 30)).singleElement().satisfies(day -> {
            assertThat(day.day()).hasToString(today);
            assertThat(day.counters()).isEqualTo(new GroupStatisticsRepository.Counters(4, 1, 4096, 2048));
        });
    }
}

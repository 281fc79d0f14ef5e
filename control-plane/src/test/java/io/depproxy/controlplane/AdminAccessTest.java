package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.userWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.support.AdminPageBrowser;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Who may call the admin API and open the admin pages, as Quarkus Security decides it: each surface takes only its own
 * credential, refusals keep the API's JSON and the page's redirect, and the registry routes never look at either.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class AdminAccessTest {
    static final String INSUFFICIENT_SCOPE = "403 Forbidden - insufficient_scope: the token needs the api or admin scope";

    @Test
    void theApiRefusesAMissingOrUnknownTokenWithItsOwnJson() {
        given().get("/api/v4/user").then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", nullValue()).body("message", equalTo("401 Unauthorized"));
        given().header("Authorization", "Bearer glpat-unknown").get("/api/v4/user").then().statusCode(401)
                .contentType("application/json").body("message", equalTo("401 Unauthorized"));
        given().auth().preemptive().basic("root", adminToken()).get("/api/v4/user").then().statusCode(401)
                .body("message", equalTo("401 Unauthorized"));
    }

    @Test
    void aTokenWithoutTheApiOrAdminScopeIs403InsufficientScope() {
        String registryOnly = userWithToken(unique("puller"), "read_registry");
        as(registryOnly).get("/api/v4/groups").then().statusCode(403).contentType("application/json")
                .body("message", equalTo(INSUFFICIENT_SCOPE));
        given().header("Authorization", "Bearer " + registryOnly).get("/api/v4/user").then().statusCode(403)
                .body("message", equalTo(INSUFFICIENT_SCOPE));
    }

    @Test
    void theTokenIsTakenFromPrivateTokenOrABearerHeader() {
        String token = userWithToken(unique("caller"), "api");
        as(token).get("/api/v4/user").then().statusCode(200).body("username", containsString("caller"));
        given().header("Authorization", "Bearer " + token).get("/api/v4/user").then().statusCode(200);
        as(token).header("Authorization", "Bearer glpat-unknown").get("/api/v4/user").then().statusCode(200);
    }

    @Test
    void anUnknownApiPathIsA404EvenWithoutAToken() {
        given().get("/api/v4/no_such_resource").then().statusCode(404).contentType("application/json");
    }

    @Test
    void eachSurfaceTakesOnlyItsOwnCredential() {
        as(adminToken()).redirects().follow(false).get("/admin/groups").then().statusCode(303)
                .header("Location", "/admin/sign_in");
        AdminPageBrowser browser = AdminPageBrowser.signIn(adminToken());
        browser.get("/admin/groups").then().statusCode(200);
        browser.get("/api/v4/user").then().statusCode(401).body("message", equalTo("401 Unauthorized"));
    }

    @Test
    void aPageRefusalKeepsThePageHeaders() {
        given().redirects().follow(false).get("/admin/upstreams").then().statusCode(303)
                .header("Location", "/admin/sign_in").header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void registryRoutesAnswerAsTheRegistryWhateverApiCredentialComesAlong() {
        as(adminToken()).get("/v2/").then().statusCode(401).header("WWW-Authenticate", containsString("/jwt/auth"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        AdminPageBrowser.signIn(adminToken()).get("/v2/").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admin API bodies are bound to the typed requests of the OpenAPI document: a JSON body and a form body with the same
 * values do the same, parameters in the query string still count (a body value wins), out-of-bounds values are 422
 * and malformed ones 400 in the API's {@code {"message"}} format, and the document names the bound request.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RequestBodyBindingTest {

    @Test
    void theSameSettingsAsJsonAndAsAFormGiveTheSameAnswer() {
        String json = asAdmin().contentType("application/json")
                .body(Map.of("enabled", "no", "manifest_revalidate_after", 600, "anonymous_pull", true))
                .put(settingsUrl(createGroup(unique("json"), null))).then().statusCode(200).extract().asString();
        String form = asAdmin().contentType("application/x-www-form-urlencoded")
                .body("enabled=no&manifest_revalidate_after=600&anonymous_pull=true")
                .put(settingsUrl(createGroup(unique("form"), null))).then().statusCode(200).extract().asString();
        assertThat(withoutGroupId(form)).isEqualTo(withoutGroupId(json));
        assertThat(JsonPath.from(form).getBoolean("enabled")).isFalse();
        assertThat(JsonPath.from(form).getInt("manifest_revalidate_after")).isEqualTo(600);
    }

    @Test
    void aDeployTokenFromAFormListsItsScopesAsTheJsonOneDoes() {
        String url = "/api/v4/groups/" + createGroup(unique("tokens"), null) + "/deploy_tokens";
        JsonPath json = asAdmin().contentType("application/json")
                .body(Map.of("name", "ci", "scopes", "read_registry", "expires_at", "2030-01-31"))
                .post(url).then().statusCode(201).extract().jsonPath();
        JsonPath form = asAdmin().contentType("application/x-www-form-urlencoded")
                .body("name=ci&scopes%5B%5D=read_registry&expires_at=2030-01-31").post(url).then().statusCode(201)
                .extract().jsonPath();
        for (String field : new String[] {"name", "scopes", "expires_at"}) {
            assertThat(form.getString(field)).as(field).isEqualTo(json.getString(field));
        }
    }

    @Test
    void queryStringParametersStillCountAndABodyValueWins() {
        String path = unique("query");
        asAdmin().queryParam("name", path).queryParam("path", path).post("/api/v4/groups").then().statusCode(201)
                .body("path", equalTo(path));
        String other = unique("query");
        asAdmin().queryParam("name", "from the query").queryParam("path", other)
                .contentType("application/json").body(Map.of("name", "from the body"))
                .post("/api/v4/groups").then().statusCode(201).body("name", equalTo("from the body"))
                .body("path", equalTo(other));
    }

    @Test
    void jsonSentAsAFormIsReadAsJsonAsCurlDashDSendsIt() {
        String path = unique("curl");
        asAdmin().contentType("application/x-www-form-urlencoded")
                .body("{\"name\": \"" + path + "\", \"path\": \"" + path + "\"}")
                .post("/api/v4/groups").then().statusCode(201).body("path", equalTo(path));
    }

    @Test
    void valuesOutOfBoundsAre422NamingTheValueInBothEncodings() {
        long groupId = createGroup(unique("bounds"), null);
        String ttl = "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy";
        asAdmin().contentType("application/x-www-form-urlencoded").body("ttl=0").put(ttl).then().statusCode(422)
                .body("message", equalTo("422 Unprocessable Entity - ttl must be between 1 and 3650"));
        asAdmin().contentType("application/json").body(Map.of("ttl", 3651)).put(ttl).then().statusCode(422)
                .body("message", equalTo("422 Unprocessable Entity - ttl must be between 1 and 3650"));
        String message = "422 Unprocessable Entity - manifest_revalidate_after must be between 0 and 31536000";
        asAdmin().contentType("application/x-www-form-urlencoded").body("manifest_revalidate_after=-1")
                .put(settingsUrl(groupId)).then().statusCode(422).body("message", equalTo(message));
        asAdmin().contentType("application/json").body(Map.of("name", unique("up") + ".example",
                        "url", "https://registry.example", "manifest_revalidate_after", 31_536_001))
                .post("/api/v4/dependency_proxy/upstreams").then().statusCode(422).body("message", equalTo(message));
        asAdmin().contentType("application/x-www-form-urlencoded").body("enabled=maybe").put(ttl)
                .then().statusCode(400).body("message", equalTo("400 Bad request - enabled is invalid"));
        asAdmin().contentType("application/json").body("{\"upstream_ids\": [1, \"two\"]}")
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams")
                .then().statusCode(400).body("message", equalTo("400 Bad request - upstream_ids is invalid"));
    }

    @Test
    void aCallerWithoutATokenIsRefusedBeforeItsBodyIsRead() {
        given().contentType("application/json").body("{\"ttl\": \"not json").put("/api/v4/groups/1/dependency_proxy"
                + "/ttl_policy").then().statusCode(401).body("message", equalTo("401 Unauthorized"));
        given().contentType("application/json").body(Map.of("ttl", 0)).put("/api/v4/groups/1/dependency_proxy"
                + "/ttl_policy").then().statusCode(401);
    }

    @Test
    void theOpenApiDocumentNamesTheBoundRequestForJsonAndForms() {
        JsonPath document = given().queryParam("format", "json").get("/api/v4/openapi").then().statusCode(200)
                .extract().jsonPath();
        String content = "paths.'/api/v4/groups'.post.requestBody.content";
        assertThat(document.getString(content + ".'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/CreateGroupRequest");
        assertThat(document.getString(content + ".'application/x-www-form-urlencoded'.schema.$ref"))
                .isEqualTo("#/components/schemas/CreateGroupRequest");
        String ttl = "paths.'/api/v4/groups/{id}/dependency_proxy/ttl_policy'.put.requestBody.content"
                + ".'application/json'.schema.$ref";
        assertThat(document.getString(ttl)).isEqualTo("#/components/schemas/UpdateTtlPolicyRequest");
        assertThat(document.getInt("components.schemas.UpdateTtlPolicyRequest.properties.ttl.minimum")).isEqualTo(1);
        assertThat(document.getInt("components.schemas.UpdateTtlPolicyRequest.properties.ttl.maximum"))
                .isEqualTo(3650);
        assertThat(document.getInt("components.schemas.UpstreamRequest.properties.manifest_revalidate_after.maximum"))
                .isEqualTo(31_536_000);
    }

    private static String settingsUrl(long groupId) {
        return "/api/v4/groups/" + groupId + "/dependency_proxy/settings";
    }

    private static String withoutGroupId(String body) {
        return body.replaceAll("\"group_id\":\\d+,?", "");
    }
}

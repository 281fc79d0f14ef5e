package io.depproxy.controlplane;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class OpenApiTest {

    @Test
    void theOpenApiDocumentListsEveryAdminRoute() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/api/v4/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("/api/v4/groups", "get post"),
                Map.entry("/api/v4/groups/{id}", "delete get put"),
                Map.entry("/api/v4/groups/{id}/members", "get post"),
                Map.entry("/api/v4/groups/{id}/members/{user_id}", "delete get"),
                Map.entry("/api/v4/groups/{id}/deploy_tokens", "get post"),
                Map.entry("/api/v4/groups/{id}/deploy_tokens/{token_id}", "delete get"),
                Map.entry("/api/v4/users", "get post"),
                Map.entry("/api/v4/users/{id}/personal_access_tokens", "post"),
                Map.entry("/api/v4/user", "get"),
                Map.entry("/api/v4/personal_access_tokens/{token_id}", "delete"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/settings", "get put"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/ttl_policy", "get put"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/manifests", "get"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/blobs", "get"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/statistics", "get"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/cache", "delete"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/upstreams", "get put"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/upstreams/{upstream_id}", "put"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/policy", "delete get put"),
                Map.entry("/api/v4/groups/{id}/dependency_proxy/policy/check", "post"),
                Map.entry("/api/v4/dependency_proxy/upstreams", "get post"),
                Map.entry("/api/v4/dependency_proxy/upstreams/{upstream_id}", "delete get put"),
                Map.entry("/api/v4/dependency_proxy/upstreams/{upstream_id}/test", "post"));
        expected.forEach((path, methods) -> {
            assertThat(paths).as("OpenAPI paths").containsKey(path);
            assertThat(paths.get(path).keySet()).as(path).containsAll(java.util.List.of(methods.split(" ")));
        });
    }

    @Test
    void theDocumentDescribesWhoMayUseAnUpstreamAndTheFallbackOnRefusals() {
        var schemas = given().queryParam("format", "json").get("/api/v4/openapi").then().statusCode(200)
                .extract().jsonPath();
        assertThat(schemas.getMap("components.schemas.UpstreamRequest.properties")).containsKey("open_to_all_groups");
        assertThat(schemas.getMap("components.schemas.UpstreamView.properties")).containsKey("open_to_all_groups");
        assertThat(schemas.getMap("components.schemas.GroupUpstreamsRequest.properties"))
                .containsKey("fallback_on_auth_error");
        assertThat(schemas.getMap("components.schemas.GroupUpstreamsView.properties"))
                .containsKeys("fallback_on_auth_error", "open_upstreams");
    }

    @Test
    void theDocumentDescribesThePullPolicyItsBoundsAndItsDryRun() {
        var schemas = given().queryParam("format", "json").get("/api/v4/openapi").then().statusCode(200)
                .extract().jsonPath();
        assertThat(schemas.getMap("components.schemas.PolicyRequest.properties")).containsKeys("rules", "signatures");
        assertThat(schemas.getInt("components.schemas.PolicyRequest.properties.rules.maxItems")).isEqualTo(200);
        assertThat(schemas.getMap("components.schemas.PolicyRuleRequest.properties"))
                .containsKeys("action", "upstream", "image", "tag");
        assertThat(schemas.getList("components.schemas.PolicyRuleRequest.properties.action.enum"))
                .containsExactlyInAnyOrder("allow", "deny");
        assertThat(schemas.getMap("components.schemas.SignaturesRequest.properties")).containsKeys("mode", "keys");
        assertThat(schemas.getMap("components.schemas.PolicyView.properties"))
                .containsKeys("rules", "signatures", "inherited_from");
        assertThat(schemas.getMap("components.schemas.PolicyCheckRequest.properties")).containsKey("image");
        assertThat(schemas.getMap("components.schemas.PolicyCheckView.properties"))
                .containsKeys("decision", "rule", "upstream", "image", "tag", "signature_mode");
    }
}

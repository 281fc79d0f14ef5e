package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.registryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.access.TokenDigest;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class DeployTokensApiTest {
    @Inject
    EntityManager em;
    @InjectFakeRegistry
    FakeRegistry upstream;

    private static JsonPath create(long groupId, Map<String, Object> body) {
        return asAdmin().contentType("application/json").body(body)
                .post("/api/v4/groups/" + groupId + "/deploy_tokens")
                .then().statusCode(201).extract().jsonPath();
    }

    @Test
    void createsATokenShownOnceThatPullsAsDeployTokenId() {
        String group = unique("deploy");
        long groupId = createGroup(group, null);
        String expires = LocalDate.now().plusDays(30).toString();
        JsonPath created = create(groupId, Map.of("name", "ci", "scopes", List.of("read_registry"),
                "expires_at", expires));
        long id = created.getLong("id");
        String username = created.getString("username");
        String token = created.getString("token");
        assertThat(username).isEqualTo("deploy-token-" + id);
        assertThat(created.getList("scopes", String.class)).containsExactly("read_registry");
        assertThat(created.getString("expires_at")).startsWith(expires);
        assertThat(created.getBoolean("revoked")).isFalse();

        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens").then().statusCode(200)
                .header("X-Total", "1").body("[0].username", equalTo(username)).body("[0]", not(hasKey("token")));
        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens/" + id).then().statusCode(200)
                .body("name", equalTo("ci")).body("token", nullValue());
        assertThat(TestSql.<String>list(em, "SELECT token_digest FROM group_deploy_tokens WHERE id = ?1", id))
                .containsExactly(TokenDigest.of(token));

        String image = unique("img");
        upstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, "{\"x\":1}".getBytes());
        given().header("Authorization", "Bearer " + registryToken(username, token))
                .get(path(group, image, "manifests", "1")).then().statusCode(200);
    }

    @Test
    void deletingATokenRevokesItAtOnce() {
        long groupId = createGroup(unique("revoke"), null);
        JsonPath created = create(groupId, Map.of("name", "ci", "scopes", List.of("read_registry")));
        String registry = registryToken(created.getString("username"), created.getString("token"));
        given().header("Authorization", "Bearer " + registry).get("/v2/").then().statusCode(200);

        asAdmin().delete("/api/v4/groups/" + groupId + "/deploy_tokens/" + created.getLong("id"))
                .then().statusCode(204);
        given().header("Authorization", "Bearer " + registry).get("/v2/").then().statusCode(401);
        given().auth().preemptive().basic(created.getString("username"), created.getString("token"))
                .get("/jwt/auth").then().statusCode(401);
        asAdmin().get("/api/v4/groups/" + groupId + "/deploy_tokens/" + created.getLong("id"))
                .then().statusCode(200).body("revoked", equalTo(true));
        asAdmin().delete("/api/v4/groups/" + groupId + "/deploy_tokens/987654321").then().statusCode(404);
    }

    @Test
    void validatesNameScopesAndExpiry() {
        long groupId = createGroup(unique("valid"), null);
        String url = "/api/v4/groups/" + groupId + "/deploy_tokens";
        asAdmin().contentType("application/json").body(Map.of("scopes", List.of("read_registry")))
                .post(url).then().statusCode(400).body("message", equalTo("400 Bad request - name is missing"));
        asAdmin().contentType("application/json").body(Map.of("name", "x")).post(url).then().statusCode(400);
        asAdmin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("write_registry")))
                .post(url).then().statusCode(422);
        asAdmin().contentType("application/json")
                .body(Map.of("name", "x", "scopes", List.of("read_registry"), "expires_at", "2001-01-01"))
                .post(url).then().statusCode(422);
        asAdmin().contentType("application/json")
                .body(Map.of("name", "x", "scopes", List.of("read_registry"), "expires_at", "tomorrow"))
                .post(url).then().statusCode(400);
        asAdmin().formParam("name", "form").formParam("scopes[]", "read_registry").post(url).then().statusCode(201);
    }

    @Test
    void maintainersManageTokensAndDevelopersMayNot() {
        long groupId = createGroup(unique("roles"), null);
        String developer = memberWithToken(groupId, GroupMember.DEVELOPER);
        String maintainer = memberWithToken(groupId, GroupMember.MAINTAINER);
        String url = "/api/v4/groups/" + groupId + "/deploy_tokens";
        Map<String, Object> body = Map.of("name", "x", "scopes", List.of("read_registry"));
        as(developer).contentType("application/json").body(body).post(url).then().statusCode(403);
        as(developer).get(url).then().statusCode(403);
        as(maintainer).contentType("application/json").body(body).post(url).then().statusCode(201);
        as(maintainer).get(url).then().statusCode(200).header("X-Total", "1");
    }
}

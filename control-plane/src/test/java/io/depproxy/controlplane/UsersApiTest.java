package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.createToken;
import static io.depproxy.controlplane.support.AdminApi.createUser;
import static io.depproxy.controlplane.support.AdminApi.userWithToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.access.TokenDigest;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class UsersApiTest {
    @Inject
    EntityManager em;

    @Test
    void anAdministratorCreatesAndListsUsers() {
        String username = unique("alice");
        asAdmin().contentType("application/json")
                .body(Map.of("username", username, "name", "Alice", "email", "alice@example.com", "admin", true))
                .post("/api/v4/users")
                .then().statusCode(201)
                .body("username", equalTo(username)).body("name", equalTo("Alice"))
                .body("email", equalTo("alice@example.com")).body("is_admin", equalTo(true))
                .body("state", equalTo("active"));
        asAdmin().queryParam("username", username).get("/api/v4/users")
                .then().statusCode(200).header("X-Total", "1").body("[0].name", equalTo("Alice"));
        asAdmin().queryParam("per_page", 1).get("/api/v4/users")
                .then().statusCode(200).header("X-Per-Page", "1").header("X-Page", "1")
                .header("X-Next-Page", "2").body("[0].username", equalTo("root"));
    }

    @Test
    void validatesUsersWith400And422AndRefusesDuplicatesWith409() {
        asAdmin().contentType("application/json").body(Map.of("name", "No Username"))
                .post("/api/v4/users").then().statusCode(400)
                .body("message", equalTo("400 Bad request - username is missing"));
        asAdmin().contentType("application/json").body(Map.of("username", "bad name!", "name", "x"))
                .post("/api/v4/users").then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("username", "deploy-token-7", "name", "x"))
                .post("/api/v4/users").then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("username", unique("e"), "name", "x", "email", "nope"))
                .post("/api/v4/users").then().statusCode(422);
        String username = unique("bob");
        createUser(username);
        asAdmin().contentType("application/json").body(Map.of("username", username, "name", "Bob"))
                .post("/api/v4/users").then().statusCode(409);
    }

    @Test
    void onlyAdministratorsManageUsersAndTokens() {
        String token = userWithToken(unique("plain"), "api");
        as(token).get("/api/v4/users").then().statusCode(403);
        as(token).contentType("application/json").body(Map.of("username", unique("x"), "name", "x"))
                .post("/api/v4/users").then().statusCode(403);
        as(token).contentType("application/json").body(Map.of("name", "t", "scopes", List.of("api")))
                .post("/api/v4/users/1/personal_access_tokens").then().statusCode(403);
    }

    @Test
    void instanceAdminRightsNeedAnAdminUserAndTheAdminScope() {
        long adminUser = asAdmin().contentType("application/json")
                .body(Map.of("username", unique("ops"), "name", "Ops", "admin", true))
                .post("/api/v4/users").then().statusCode(201).extract().jsonPath().getLong("id");
        String apiOnly = createToken(adminUser, "api");
        as(apiOnly).get("/api/v4/users").then().statusCode(403);
        as(apiOnly).contentType("application/json").body(Map.of("username", unique("x"), "name", "x"))
                .post("/api/v4/users").then().statusCode(403);
        as(apiOnly).contentType("application/json").body(Map.of("name", "t", "scopes", List.of("api")))
                .post("/api/v4/users/1/personal_access_tokens").then().statusCode(403);
        as(apiOnly).get("/api/v4/user").then().statusCode(200).body("is_admin", equalTo(true));

        String withAdminScope = createToken(adminUser, "api", "admin");
        as(withAdminScope).get("/api/v4/users").then().statusCode(200);
        as(withAdminScope).contentType("application/json").body(Map.of("name", "t", "scopes", List.of("api")))
                .post("/api/v4/users/" + adminUser + "/personal_access_tokens").then().statusCode(201);

        String adminScopeOnPlainUser = userWithToken(unique("plain"), "api", "admin");
        as(adminScopeOnPlainUser).get("/api/v4/users").then().statusCode(403);
    }

    @Test
    void currentUserIsTheTokensOwner() {
        String username = unique("me");
        String token = createToken(createUser(username), "api");
        as(token).get("/api/v4/user").then().statusCode(200)
                .body("username", equalTo(username)).body("is_admin", equalTo(false));
        asAdmin().get("/api/v4/user").then().statusCode(200).body("username", equalTo("root"))
                .body("is_admin", equalTo(true));
    }

    @Test
    void personalAccessTokensAreShownOnceStoredHashedAndRevocable() {
        long userId = createUser(unique("pat"));
        JsonPath created = asAdmin().contentType("application/json")
                .body(Map.of("name", "laptop", "scopes", List.of("api", "read_registry"), "expires_at", "2999-12-31"))
                .post("/api/v4/users/" + userId + "/personal_access_tokens")
                .then().statusCode(201).body("active", equalTo(true)).body("user_id", equalTo((int) userId))
                .extract().jsonPath();
        String token = created.getString("token");
        assertThat(token).startsWith("glpat-");
        assertThat(created.getString("expires_at")).startsWith("2999-12-31");
        assertThat(TestSql.<String>list(em, "SELECT token_digest FROM personal_access_tokens WHERE id = ?1",
                created.getLong("id"))).containsExactly(TokenDigest.of(token));
        assertThat(TestSql.count(em, "SELECT count(*) FROM personal_access_tokens WHERE token_digest = ?1", token))
                .isZero();

        as(token).get("/api/v4/user").then().statusCode(200);
        as(token).delete("/api/v4/personal_access_tokens/" + created.getLong("id")).then().statusCode(204);
        as(token).get("/api/v4/user").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIs401AndSomeoneElsesTokenCannotBeRevoked() {
        long userId = createUser(unique("exp"));
        String expiring = createToken(userId, "api");
        TestSql.update(em, "UPDATE personal_access_tokens SET expires_at = now() - interval '1 second'"
                + " WHERE token_digest = ?1", TokenDigest.of(expiring));
        as(expiring).get("/api/v4/user").then().statusCode(401);

        String mine = userWithToken(unique("mine"), "api");
        long othersTokenId = asAdmin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("api")))
                .post("/api/v4/users/" + createUser(unique("other")) + "/personal_access_tokens")
                .then().extract().jsonPath().getLong("id");
        as(mine).delete("/api/v4/personal_access_tokens/" + othersTokenId).then().statusCode(404);
        asAdmin().delete("/api/v4/personal_access_tokens/" + othersTokenId).then().statusCode(204);
    }

    @Test
    void validatesTokenRequests() {
        long userId = createUser(unique("val"));
        String url = "/api/v4/users/" + userId + "/personal_access_tokens";
        asAdmin().contentType("application/json").body(Map.of("scopes", List.of("api"))).post(url)
                .then().statusCode(400).body("message", equalTo("400 Bad request - name is missing"));
        asAdmin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("sudo"))).post(url)
                .then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("api"),
                "expires_at", "2000-01-01")).post(url).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("name", "x", "scopes", List.of("api")))
                .post("/api/v4/users/987654321/personal_access_tokens").then().statusCode(404);
        asAdmin().formParam("name", "form").formParam("scopes[]", "read_registry").post(url)
                .then().statusCode(201).body("scopes[0]", equalTo("read_registry")).body("expires_at", nullValue());
    }
}

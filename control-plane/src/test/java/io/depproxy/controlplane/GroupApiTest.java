package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.service.UserService;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class GroupApiTest {
    @Inject
    UserService users;

    @Test
    void createsGroupFromJsonAndFindsItByIdAndByFullPath() {
        String path = unique("acme");
        long id = given().header("PRIVATE-TOKEN", adminToken()).contentType("application/json")
                .body(Map.of("name", "Acme Corp", "path", path))
                .post("/api/v4/groups")
                .then().statusCode(201)
                .body("name", equalTo("Acme Corp"))
                .body("path", equalTo(path))
                .body("full_path", equalTo(path))
                .body("parent_id", nullValue())
                .body("web_url", equalTo(ControlPlaneTestResources.EXTERNAL_URL + "/groups/" + path))
                .body("dependency_proxy_image_prefix", equalTo("registry.test:8080/" + path + "/dependency_proxy/containers"))
                .extract().jsonPath().getLong("id");

        given().header("PRIVATE-TOKEN", adminToken()).get("/api/v4/groups/" + id)
                .then().statusCode(200).body("full_path", equalTo(path));
        given().header("Authorization", "Bearer " + adminToken()).get("/api/v4/groups/" + path)
                .then().statusCode(200).body("id", equalTo((int) id));
    }

    @Test
    void createsSubgroupFromFormAndFindsItByEncodedFullPath() {
        String parent = unique("parent");
        long parentId = createGroup(parent, null);
        given().header("PRIVATE-TOKEN", adminToken())
                .formParam("name", "Platform").formParam("path", "platform").formParam("parent_id", parentId)
                .post("/api/v4/groups")
                .then().statusCode(201)
                .body("full_path", equalTo(parent + "/platform"))
                .body("parent_id", equalTo((int) parentId));

        given().urlEncodingEnabled(false).header("PRIVATE-TOKEN", adminToken())
                .get("/api/v4/groups/" + parent + "%2Fplatform")
                .then().statusCode(200).body("path", equalTo("platform"));
    }

    @Test
    void rejectsADuplicatePathWith400() {
        String path = unique("dup");
        createGroup(path, null);
        given().header("PRIVATE-TOKEN", adminToken()).contentType("application/json")
                .body(Map.of("name", path, "path", path.toUpperCase()))
                .post("/api/v4/groups")
                .then().statusCode(400).body("message", equalTo("400 Bad request - path has already been taken"));
    }

    @Test
    void rejectsAnInvalidPathWith400() {
        given().header("PRIVATE-TOKEN", adminToken()).contentType("application/json")
                .body(Map.of("name", "x", "path", ".."))
                .post("/api/v4/groups")
                .then().statusCode(400).body("message", equalTo("400 Bad request - path is invalid"));
    }

    @Test
    void answers404ForAnUnknownParentAndAnUnknownGroup() {
        given().header("PRIVATE-TOKEN", adminToken()).contentType("application/json")
                .body(Map.of("name", "x", "path", unique("orphan"), "parent_id", 987654321))
                .post("/api/v4/groups")
                .then().statusCode(404).body("message", equalTo("404 Parent Group Not Found"));
        given().header("PRIVATE-TOKEN", adminToken()).get("/api/v4/groups/" + unique("nothing"))
                .then().statusCode(404).body("message", equalTo("404 Group Not Found"));
    }

    @Test
    void answers401WithoutAValidToken() {
        given().contentType("application/json").body(Map.of("name", "x", "path", "x"))
                .post("/api/v4/groups")
                .then().statusCode(401).body("message", equalTo("401 Unauthorized"));
        given().header("PRIVATE-TOKEN", "not-a-token").get("/api/v4/groups/1")
                .then().statusCode(401).body("message", equalTo("401 Unauthorized"));
    }

    @Test
    void answers403ForANonAdmin() {
        long userId = users.createUser(unique("dev"), "Dev", null, false).getId();
        String token = users.createPersonalAccessToken(userId, "t", Set.of(TokenScopes.API), null).token();
        given().header("PRIVATE-TOKEN", token).get("/api/v4/groups/1")
                .then().statusCode(403).body("message", equalTo("403 Forbidden"));
    }
}

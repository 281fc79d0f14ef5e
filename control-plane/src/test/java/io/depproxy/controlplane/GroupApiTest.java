package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.AdminApi.userWithToken;
import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class GroupApiTest {

    @Test
    void createsGroupFromJsonAndFindsItByIdAndByFullPath() {
        String path = unique("acme");
        long id = asAdmin().contentType("application/json")
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

        asAdmin().get("/api/v4/groups/" + id).then().statusCode(200).body("full_path", equalTo(path));
        given().header("Authorization", "Bearer " + adminToken()).get("/api/v4/groups/" + path)
                .then().statusCode(200).body("id", equalTo((int) id));
    }

    @Test
    void createsSubgroupFromFormAndFindsItByEncodedFullPath() {
        String parent = unique("parent");
        long parentId = createGroup(parent, null);
        asAdmin().formParam("name", "Platform").formParam("path", "platform").formParam("parent_id", parentId)
                .post("/api/v4/groups")
                .then().statusCode(201)
                .body("full_path", equalTo(parent + "/platform"))
                .body("parent_id", equalTo((int) parentId));

        asAdmin().urlEncodingEnabled(false).get("/api/v4/groups/" + parent + "%2Fplatform")
                .then().statusCode(200).body("path", equalTo("platform"));
    }

    @Test
    void listsGroupsPageByPageWithGitLabPaginationHeaders() {
        String tag = unique("pg");
        for (int i = 1; i <= 3; i++) {
            createGroup(tag + "-" + i, null);
        }
        Response first = asAdmin().queryParam("search", tag).queryParam("per_page", 2).get("/api/v4/groups");
        first.then().statusCode(200)
                .header("X-Total", "3").header("X-Total-Pages", "2").header("X-Page", "1")
                .header("X-Per-Page", "2").header("X-Next-Page", "2").header("X-Prev-Page", "");
        assertThat(first.jsonPath().getList("path", String.class)).containsExactly(tag + "-1", tag + "-2");
        assertThat(first.header("Link"))
                .contains("<" + ControlPlaneTestResources.EXTERNAL_URL + "/api/v4/groups?search=" + tag
                        + "&page=2&per_page=2>; rel=\"next\"")
                .contains("page=1&per_page=2>; rel=\"first\"")
                .contains("page=2&per_page=2>; rel=\"last\"");

        Response second = asAdmin().queryParam("search", tag).queryParam("per_page", 2).queryParam("page", 2)
                .get("/api/v4/groups");
        second.then().statusCode(200).header("X-Page", "2").header("X-Next-Page", "").header("X-Prev-Page", "1");
        assertThat(second.jsonPath().getList("path", String.class)).containsExactly(tag + "-3");
        assertThat(second.header("Link")).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
    }

    @Test
    void aMemberListsOnlyTheGroupsItCanSee() {
        String top = unique("seen");
        long topId = createGroup(top, null);
        createGroup("child", topId);
        createGroup(unique("unseen"), null);
        String token = memberWithToken(topId, GroupMember.GUEST);
        as(token).get("/api/v4/groups").then().statusCode(200).header("X-Total", "2");
        List<String> paths = as(token).get("/api/v4/groups").jsonPath().getList("full_path", String.class);
        assertThat(paths).containsExactlyInAnyOrder(top, top + "/child");
    }

    @Test
    void renamingAGroupMovesItsSubgroups() {
        String path = unique("old");
        long id = createGroup(path, null);
        long childId = createGroup("child", id);
        String renamed = unique("new");
        asAdmin().contentType("application/json").body(Map.of("name", "Renamed", "path", renamed))
                .put("/api/v4/groups/" + id)
                .then().statusCode(200).body("name", equalTo("Renamed")).body("full_path", equalTo(renamed));
        asAdmin().get("/api/v4/groups/" + childId).then().body("full_path", equalTo(renamed + "/child"));
        asAdmin().get("/api/v4/groups/" + path).then().statusCode(404);
    }

    @Test
    void deletingAGroupAnswers202AndRemovesItsSubgroups() {
        long id = createGroup(unique("doomed"), null);
        long childId = createGroup("child", id);
        asAdmin().delete("/api/v4/groups/" + id).then().statusCode(202);
        asAdmin().get("/api/v4/groups/" + id).then().statusCode(404);
        asAdmin().get("/api/v4/groups/" + childId).then().statusCode(404);
    }

    @Test
    void validatesWith400For422AndConflictsWith409() {
        asAdmin().contentType("application/json").body(Map.of("path", unique("noname")))
                .post("/api/v4/groups")
                .then().statusCode(400).body("message", equalTo("400 Bad request - name is missing"));
        asAdmin().contentType("application/json").body(Map.of("name", "x", "path", ".."))
                .post("/api/v4/groups")
                .then().statusCode(422).body("message", equalTo("422 Unprocessable Entity - path is invalid"));
        asAdmin().contentType("application/json").body("{not json").post("/api/v4/groups").then().statusCode(400);
        String path = unique("dup");
        createGroup(path, null);
        asAdmin().contentType("application/json").body(Map.of("name", path, "path", path.toUpperCase()))
                .post("/api/v4/groups")
                .then().statusCode(409).body("message", equalTo("409 Conflict - path has already been taken"));
        long other = createGroup(unique("other"), null);
        asAdmin().contentType("application/json").body(Map.of("path", path)).put("/api/v4/groups/" + other)
                .then().statusCode(409);
        asAdmin().formParam("parent_id", "abc").formParam("name", "x").formParam("path", "x")
                .post("/api/v4/groups").then().statusCode(400).body("message", equalTo("400 Bad request - parent_id is invalid"));
    }

    @Test
    void answers404ForAnUnknownParentAndAnUnknownGroup() {
        asAdmin().contentType("application/json")
                .body(Map.of("name", "x", "path", unique("orphan"), "parent_id", 987654321))
                .post("/api/v4/groups")
                .then().statusCode(404).body("message", equalTo("404 Parent Group Not Found"));
        asAdmin().get("/api/v4/groups/" + unique("nothing"))
                .then().statusCode(404).body("message", equalTo("404 Group Not Found"));
        asAdmin().delete("/api/v4/groups/987654321").then().statusCode(404);
    }

    @Test
    void answers401WithoutAValidToken() {
        given().contentType("application/json").body(Map.of("name", "x", "path", "x"))
                .post("/api/v4/groups")
                .then().statusCode(401).body("message", equalTo("401 Unauthorized"));
        as("not-a-token").get("/api/v4/groups/1").then().statusCode(401).body("message", equalTo("401 Unauthorized"));
        given().header("Authorization", "Bearer not-a-token").get("/api/v4/groups").then().statusCode(401);
        given().get("/api/v4/user").then().statusCode(401);
    }

    @Test
    void answers403WithoutTheApiScopeOrForANonAdminCreatingATopLevelGroup() {
        String registryOnly = userWithToken(unique("reg"), "read_registry");
        as(registryOnly).get("/api/v4/groups").then().statusCode(403);
        as(registryOnly).contentType("application/json").body(Map.of("name", "x", "path", unique("x")))
                .post("/api/v4/groups").then().statusCode(403);

        String plain = userWithToken(unique("plain"), "api");
        as(plain).contentType("application/json").body(Map.of("name", "x", "path", unique("x")))
                .post("/api/v4/groups").then().statusCode(403).body("message", equalTo("403 Forbidden"));
    }

    @Test
    void accessFollowsTheMembersLevelAndHidesGroupsFromStrangers() {
        long id = createGroup(unique("levels"), null);
        String guest = memberWithToken(id, GroupMember.GUEST);
        String maintainer = memberWithToken(id, GroupMember.MAINTAINER);
        String owner = memberWithToken(id, GroupMember.OWNER);
        String stranger = userWithToken(unique("stranger"), "api");

        as(guest).get("/api/v4/groups/" + id).then().statusCode(200);
        as(stranger).get("/api/v4/groups/" + id).then().statusCode(404);
        as(guest).contentType("application/json").body(Map.of("name", "G")).put("/api/v4/groups/" + id)
                .then().statusCode(403);
        as(guest).contentType("application/json").body(Map.of("name", "sub", "path", "sub", "parent_id", id))
                .post("/api/v4/groups").then().statusCode(403);
        as(maintainer).contentType("application/json").body(Map.of("name", "sub", "path", "sub", "parent_id", id))
                .post("/api/v4/groups").then().statusCode(201);
        as(maintainer).delete("/api/v4/groups/" + id).then().statusCode(403);
        as(owner).contentType("application/json").body(Map.of("name", "Owned")).put("/api/v4/groups/" + id)
                .then().statusCode(200).body("name", equalTo("Owned"));
        as(owner).delete("/api/v4/groups/" + id).then().statusCode(202);
    }
}

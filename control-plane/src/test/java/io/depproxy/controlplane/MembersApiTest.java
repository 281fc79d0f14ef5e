package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.as;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.AdminApi.createUser;
import static io.depproxy.controlplane.support.AdminApi.memberWithToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class MembersApiTest {

    private static void add(String groupId, long userId, int level, int expected) {
        asAdmin().urlEncodingEnabled(false).contentType("application/json")
                .body(Map.of("user_id", userId, "access_level", level))
                .post("/api/v4/groups/" + groupId + "/members").then().statusCode(expected);
    }

    @Test
    void addsListsGetsAndRemovesMembers() {
        String path = unique("team");
        long groupId = createGroup(path, null);
        String username = unique("dev");
        long userId = createUser(username);
        asAdmin().formParam("user_id", userId).formParam("access_level", 30)
                .post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(201)
                .body("id", equalTo((int) userId)).body("username", equalTo(username))
                .body("access_level", equalTo(30)).body("state", equalTo("active"))
                .body("created_at", notNullValue());
        long second = createUser(unique("rep"));
        add(Long.toString(groupId), second, GroupMember.REPORTER, 201);

        asAdmin().queryParam("per_page", 1).get("/api/v4/groups/" + path + "/members")
                .then().statusCode(200).header("X-Total", "2").header("X-Total-Pages", "2")
                .header("X-Next-Page", "2").body("[0].username", equalTo(username));
        asAdmin().get("/api/v4/groups/" + groupId + "/members/" + second)
                .then().statusCode(200).body("access_level", equalTo(20));

        asAdmin().delete("/api/v4/groups/" + groupId + "/members/" + second).then().statusCode(204);
        asAdmin().get("/api/v4/groups/" + groupId + "/members/" + second)
                .then().statusCode(404).body("message", equalTo("404 Member Not Found"));
        asAdmin().delete("/api/v4/groups/" + groupId + "/members/" + second).then().statusCode(404);
    }

    @Test
    void worksOnASubgroupAddressedByItsEncodedFullPath() {
        String top = unique("enc");
        long topId = createGroup(top, null);
        createGroup("platform", topId);
        long userId = createUser(unique("sub"));
        add(top + "%2Fplatform", userId, GroupMember.DEVELOPER, 201);
        asAdmin().urlEncodingEnabled(false).get("/api/v4/groups/" + top + "%2Fplatform/members")
                .then().statusCode(200).header("X-Total", "1").body("[0].id", equalTo((int) userId));
        asAdmin().get("/api/v4/groups/" + topId + "/members").then().statusCode(200).header("X-Total", "0");
    }

    @Test
    void rejectsDuplicatesUnknownUsersAndInvalidLevels() {
        long groupId = createGroup(unique("rules"), null);
        long userId = createUser(unique("dup"));
        add(Long.toString(groupId), userId, GroupMember.GUEST, 201);
        asAdmin().contentType("application/json").body(Map.of("user_id", userId, "access_level", 10))
                .post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(409).body("message", equalTo("409 Conflict - Member already exists"));
        add(Long.toString(groupId), 987654321L, GroupMember.GUEST, 404);
        add(Long.toString(groupId), createUser(unique("lvl")), 15, 422);
        asAdmin().contentType("application/json").body(Map.of("access_level", 10))
                .post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(400).body("message", equalTo("400 Bad request - user_id is missing"));
        asAdmin().formParam("user_id", userId).post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(400).body("message", equalTo("400 Bad request - access_level is missing"));
        asAdmin().get("/api/v4/groups/987654321/members").then().statusCode(404);
    }

    @Test
    void membersListButOnlyOwnersChangeMembership() {
        long groupId = createGroup(unique("perm"), null);
        String guest = memberWithToken(groupId, GroupMember.GUEST);
        String maintainer = memberWithToken(groupId, GroupMember.MAINTAINER);
        String owner = memberWithToken(groupId, GroupMember.OWNER);
        long newcomer = createUser(unique("new"));
        Map<String, Object> body = Map.of("user_id", newcomer, "access_level", 10);

        as(guest).get("/api/v4/groups/" + groupId + "/members").then().statusCode(200).header("X-Total", "3");
        as(maintainer).contentType("application/json").body(body).post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(403);
        as(owner).contentType("application/json").body(body).post("/api/v4/groups/" + groupId + "/members")
                .then().statusCode(201);
        as(guest).delete("/api/v4/groups/" + groupId + "/members/" + newcomer).then().statusCode(403);
        as(owner).delete("/api/v4/groups/" + groupId + "/members/" + newcomer).then().statusCode(204);

        long otherGroup = createGroup(unique("foreign"), null);
        as(owner).get("/api/v4/groups/" + otherGroup + "/members").then().statusCode(404);
        assertThat(as(owner).get("/api/v4/groups/" + groupId + "/members").jsonPath().getList("access_level"))
                .contains(10, 40, 50);
    }
}

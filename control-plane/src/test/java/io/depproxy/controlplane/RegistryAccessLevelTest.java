package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.registryToken;
import static io.depproxy.controlplane.support.TestApi.rootRegistryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may pull from {@code <top>/child}: guest+ members of the group or an ancestor, deploy tokens of the group or
 * an ancestor, administrators. Everybody else who is authenticated sees 404 NAME_UNKNOWN, as GitLab answers.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RegistryAccessLevelTest {
    @InjectFakeRegistry
    FakeRegistry upstream;

    /** Where a caller's membership or deploy token is: in the tree {@code top/{child,sibling}}. */
    enum Where { TOP, CHILD, SIBLING, NOWHERE }

    record Case(String name, Where where, Integer accessLevel, boolean deployToken, int expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("guest (10) of the group pulls", Where.CHILD, GroupMember.GUEST, false, 200),
                new Case("owner (50) of the group pulls", Where.CHILD, GroupMember.OWNER, false, 200),
                new Case("guest of the parent group pulls", Where.TOP, GroupMember.GUEST, false, 200),
                new Case("owner of a sibling group is denied", Where.SIBLING, GroupMember.OWNER, false, 404),
                new Case("a user without membership is denied", Where.NOWHERE, null, false, 404),
                new Case("deploy token of the group pulls", Where.CHILD, null, true, 200),
                new Case("deploy token of the parent group pulls", Where.TOP, null, true, 200),
                new Case("deploy token of a sibling group is denied", Where.SIBLING, null, true, 404));
    }

    private record Tree(String top, long topId, long childId, long siblingId) {
        long id(Where where) {
            return switch (where) {
                case TOP -> topId;
                case CHILD -> childId;
                case SIBLING -> siblingId;
                case NOWHERE -> throw new IllegalArgumentException();
            };
        }
    }

    private Tree tree() {
        String top = unique("access");
        long topId = createGroup(top, null);
        return new Tree(top, topId, createGroup("child", topId), createGroup("sibling", topId));
    }

    private String image() {
        String image = unique("img");
        upstream.putManifest("library/" + image, "1", MediaTypes.OCI_MANIFEST, "{\"a\":1}".getBytes());
        return image;
    }

    private String tokenFor(Case c, Tree tree) {
        if (c.deployToken()) {
            AdminApi.IssuedToken deploy = AdminApi.deployToken(tree.id(c.where()), TokenScopes.READ_REGISTRY);
            return registryToken(deploy.username(), deploy.token());
        }
        String username = unique("u");
        long userId = AdminApi.createUser(username);
        if (c.where() != Where.NOWHERE) {
            AdminApi.addMember(tree.id(c.where()), userId, c.accessLevel());
        }
        return registryToken(username, AdminApi.createToken(userId, TokenScopes.READ_REGISTRY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pullsFromASubgroupAsGitLabAllows(Case c) {
        Tree tree = tree();
        String image = image();
        var response = given().header("Authorization", "Bearer " + tokenFor(c, tree))
                .get(path(tree.top() + "/child", image, "manifests", "1"))
                .then().statusCode(c.expected());
        if (c.expected() == 200) {
            response.header("Gitlab-Workhorse-Send-Data", notNullValue());
        } else {
            response.body("errors[0].code", equalTo("NAME_UNKNOWN"));
        }
    }

    @Test
    void aDeployTokenOfASubgroupCannotPullFromItsParent() {
        Tree tree = tree();
        String token = tokenFor(new Case("child token", Where.CHILD, null, true, 0), tree);
        given().header("Authorization", "Bearer " + token).get(path(tree.top(), image(), "manifests", "1"))
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void unauthenticatedPullsAre401WithTheChallenge() {
        Tree tree = tree();
        given().get(path(tree.top() + "/child", image(), "manifests", "1"))
                .then().statusCode(401).header("WWW-Authenticate", RegistryAuthTest.CHALLENGE)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void aDisabledProxyIs404EvenForAnAdministrator() {
        Tree tree = tree();
        AdminApi.updateSettings(tree.childId(), Map.of("enabled", false));
        given().header("Authorization", "Bearer " + rootRegistryToken())
                .get(path(tree.top() + "/child", image(), "manifests", "1"))
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        given().header("Authorization", "Bearer " + rootRegistryToken())
                .get(path(tree.top(), image(), "manifests", "1"))
                .then().statusCode(200);
    }
}

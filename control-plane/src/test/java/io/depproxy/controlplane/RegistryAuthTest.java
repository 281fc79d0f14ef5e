package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.registryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.service.UserService;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RegistryAuthTest {
    static final String CHALLENGE =
            "Bearer realm=\"" + ControlPlaneTestResources.EXTERNAL_URL + "/jwt/auth\",service=\"dependency_proxy\"";

    @Inject
    UserService users;
    @InjectFakeRegistry
    FakeRegistry upstream;

    @Test
    void v2WithoutTokenChallengesTowardsTheTokenEndpoint() {
        given().get("/v2/")
                .then().statusCode(401)
                .header("WWW-Authenticate", CHALLENGE)
                .header("Docker-Distribution-Api-Version", "registry/2.0")
                .contentType("application/json")
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void basicLoginReturnsATokenThatOpensV2() {
        String token = given().auth().preemptive().basic("root", adminToken())
                .queryParam("service", "dependency_proxy").queryParam("scope", "repository:a/b:pull")
                .get("/jwt/auth")
                .then().statusCode(200)
                .body("expires_in", equalTo(900))
                .body("issued_at", notNullValue())
                .extract().path("token");
        given().auth().preemptive().basic("root", adminToken()).get("/jwt/auth")
                .then().body("access_token", notNullValue());
        assertThat(token.split("\\.")).hasSize(3);
        given().header("Authorization", "Bearer " + token).get("/v2/")
                .then().statusCode(200)
                .header("Docker-Distribution-Api-Version", "registry/2.0")
                .body(equalTo("{}"));
    }

    @Test
    void oauthPasswordGrantReturnsAToken() {
        String token = given().formParam("grant_type", "password").formParam("username", "root")
                .formParam("password", adminToken()).formParam("service", "dependency_proxy")
                .formParam("scope", "repository:acme/dependency_proxy/containers/alpine:pull")
                .formParam("client_id", "containerd-client")
                .post("/jwt/auth")
                .then().statusCode(200).contentType("application/json")
                .extract().path("access_token");
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
    }

    @Test
    void wrongOrMissingCredentialsAre401() {
        given().auth().preemptive().basic("root", "wrong").get("/jwt/auth")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().get("/jwt/auth").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().formParam("grant_type", "password").formParam("username", "root").formParam("password", "wrong")
                .post("/jwt/auth").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().auth().preemptive().basic("someone-else", adminToken()).get("/jwt/auth").then().statusCode(401);
    }

    @Test
    void tokensWeDidNotSignAre401() throws Exception {
        given().header("Authorization", "Bearer not.a.jwt").get("/v2/")
                .then().statusCode(401).header("WWW-Authenticate", CHALLENGE);
        var foreignKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String forged = Jwt.claims().issuer("dependency-proxy").audience("dependency_proxy")
                .claim("tid", 1).claim("tkd", "pat").jws().keyId("other").sign(foreignKey);
        given().header("Authorization", "Bearer " + forged).get("/v2/").then().statusCode(401);
    }

    @Test
    void revokingTheAccessTokenInvalidatesItsRegistryTokens() {
        String username = unique("rev");
        long userId = users.createUser(username, "R", null, false).getId();
        UserService.CreatedToken pat = users.createPersonalAccessToken(userId, "t", Set.of(TokenScopes.READ_REGISTRY), null);
        String token = registryToken(username, pat.token());
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
        users.revokePersonalAccessToken(pat.id());
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(401);
        given().auth().preemptive().basic(username, pat.token()).get("/jwt/auth").then().statusCode(401);
    }

    @Test
    void aTokenWithoutRegistryScopeIsDenied() {
        String username = unique("noscope");
        long userId = users.createUser(username, "N", null, false).getId();
        String raw = users.createPersonalAccessToken(userId, "t", Set.of("read_user"), null).token();
        given().auth().preemptive().basic(username, raw).get("/jwt/auth")
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"));
    }

    @Test
    void membersOfAnAncestorGroupMayPullAndOthersSeeNameUnknown() {
        String parent = unique("team");
        long parentId = createGroup(parent, null);
        createGroup("apps", parentId);
        String image = unique("member-image");
        upstream.putManifest("library/" + image, "1.0", MediaTypes.OCI_MANIFEST, "{\"m\":1}".getBytes());
        String manifestPath = path(parent + "/apps", image, "manifests", "1.0");

        String member = unique("guest");
        long memberId = users.createUser(member, "G", null, false).getId();
        users.addMember(parentId, memberId, GroupMember.GUEST);
        String memberToken = registryToken(member, users.createPersonalAccessToken(memberId, "t",
                Set.of(TokenScopes.READ_REGISTRY), null).token());
        given().header("Authorization", "Bearer " + memberToken).get(manifestPath)
                .then().statusCode(200).header("Gitlab-Workhorse-Send-Data", notNullValue());

        String stranger = unique("stranger");
        long strangerId = users.createUser(stranger, "S", null, false).getId();
        String strangerToken = registryToken(stranger, users.createPersonalAccessToken(strangerId, "t",
                Set.of(TokenScopes.READ_REGISTRY), null).token());
        given().header("Authorization", "Bearer " + strangerToken).get(manifestPath)
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void aGroupDeployTokenMayPullFromItsGroupOnly() {
        String group = unique("deploy");
        long groupId = createGroup(group, null);
        String other = unique("other");
        createGroup(other, null);
        UserService.CreatedToken deploy = users.createDeployToken(groupId, "ci", Set.of(TokenScopes.READ_REGISTRY), null);
        String token = registryToken(deploy.username(), deploy.token());
        String image = unique("deploy-image");
        upstream.putManifest("library/" + image, "1", MediaTypes.DOCKER_MANIFEST, "{\"d\":1}".getBytes());
        given().header("Authorization", "Bearer " + token).get(path(group, image, "manifests", "1"))
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get(path(other, image, "manifests", "1"))
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void publishesTheSigningKeyHealthAndMetrics() {
        given().get("/-/jwks").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA")).body("keys[0].alg", equalTo("RS256"));
        given().get("/-/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/-/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/-/metrics").then().statusCode(200);
        given().get("/api/v4/openapi").then().statusCode(200);
    }
}

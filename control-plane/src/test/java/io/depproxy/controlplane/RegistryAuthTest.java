package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class RegistryAuthTest {
    static final String CHALLENGE =
            "Bearer realm=\"" + ControlPlaneTestResources.EXTERNAL_URL + "/jwt/auth\",service=\"dependency_proxy\"";

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
    void publishesTheSigningKeyHealthAndMetrics() {
        given().get("/-/jwks").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA")).body("keys[0].alg", equalTo("RS256"));
        given().get("/-/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/-/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/-/metrics").then().statusCode(200);
        given().get("/api/v4/openapi").then().statusCode(200);
    }
}

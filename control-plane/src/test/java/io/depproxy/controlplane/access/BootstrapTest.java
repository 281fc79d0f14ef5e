package io.depproxy.controlplane.access;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.restassured.RestAssured.given;

import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class BootstrapTest {
    @Inject
    BootstrapService bootstrap;

    @Test
    void theBootstrapTokenIsIdempotentAndRotates() {
        bootstrap.ensureRootToken(adminToken());
        given().header("PRIVATE-TOKEN", adminToken()).get("/api/v4/groups/999999999").then().statusCode(404);
        try {
            bootstrap.ensureRootToken("rotated-admin-token");
            given().header("PRIVATE-TOKEN", adminToken()).get("/api/v4/groups/999999999").then().statusCode(401);
            given().header("PRIVATE-TOKEN", "rotated-admin-token").get("/api/v4/groups/999999999").then().statusCode(404);
        } finally {
            bootstrap.ensureRootToken(adminToken());
        }
        given().auth().preemptive().basic("root", adminToken()).get("/jwt/auth").then().statusCode(200);
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.lifecycle.TtlExpiryService;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Out-of-range numbers (422 naming the field), malformed values and encodings (400), pages far past the end (an
 * empty page): never a 500.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ApiInputBoundsTest {
    private static final String UPSERT = " ON CONFLICT (group_id) DO UPDATE SET enabled = true, ttl = excluded.ttl";

    @Inject
    EntityManager em;
    @Inject
    TtlExpiryService ttl;

    @Test
    void aMalformedFormEscapeOnTheTokenRouteIs400InTheRegistryFormat() {
        given().contentType("application/x-www-form-urlencoded").body("grant_type=password&username=%zz&password=x")
                .post("/jwt/auth").then().statusCode(400).contentType("application/json")
                .header("Docker-Distribution-Api-Version", "registry/2.0")
                .body("errors[0].message", equalTo("the form body is not URL-encoded"));
    }

    @Test
    void aMalformedFormEscapeOnTheApiIs400Message() {
        asAdmin().contentType("application/x-www-form-urlencoded").body("name=%zz&path=x")
                .post("/api/v4/groups").then().statusCode(400)
                .body("message", equalTo("400 Bad request - the form body is not URL-encoded"));
    }

    @Test
    void aPageFarPastTheEndIsAnEmptyPageWithItsHeaders() {
        asAdmin().queryParam("page", Integer.MAX_VALUE).get("/api/v4/groups").then().statusCode(200)
                .body("$", hasSize(0))
                .header("X-Page", String.valueOf(Integer.MAX_VALUE)).header("X-Per-Page", "20")
                .header("X-Total", org.hamcrest.Matchers.notNullValue());
        asAdmin().queryParam("page", Integer.MAX_VALUE).queryParam("per_page", 100).get("/api/v4/users")
                .then().statusCode(200).body("$", hasSize(0)).header("X-Per-Page", "100");
        long groupId = createGroup(unique("pages"), null);
        for (String listing : new String[] {"members", "deploy_tokens", "dependency_proxy/manifests",
                "dependency_proxy/blobs"}) {
            asAdmin().queryParam("page", Integer.MAX_VALUE).queryParam("per_page", 7)
                    .get("/api/v4/groups/" + groupId + "/" + listing).then().statusCode(200).body("$", hasSize(0));
        }
    }

    @Test
    void perPageIsClampedAndBadPageNumbersAre400() {
        asAdmin().queryParam("per_page", 1000).get("/api/v4/groups").then().statusCode(200).header("X-Per-Page", "100");
        asAdmin().queryParam("per_page", 0).get("/api/v4/groups").then().statusCode(200).header("X-Per-Page", "20");
        asAdmin().queryParam("page", -3).get("/api/v4/groups").then().statusCode(200).header("X-Page", "1");
        asAdmin().queryParam("page", "99999999999").get("/api/v4/groups").then().statusCode(400)
                .body("message", equalTo("400 Bad request - page is invalid"));
        asAdmin().queryParam("per_page", "ten").get("/api/v4/groups").then().statusCode(400)
                .body("message", containsString("per_page"));
    }

    @Test
    void ttlAndRevalidationWindowsAreBounded() {
        long groupId = createGroup(unique("bounds"), null);
        String policy = "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy";
        asAdmin().contentType("application/json").body(Map.of("ttl", 2_500_000)).put(policy).then().statusCode(422)
                .body("message", equalTo("422 Unprocessable Entity - ttl must be between 1 and 3650"));
        asAdmin().contentType("application/json").body(Map.of("ttl", 0)).put(policy).then().statusCode(422);
        asAdmin().contentType("application/json").body(Map.of("ttl", 3650)).put(policy).then().statusCode(200)
                .body("ttl", equalTo(3650));
        asAdmin().contentType("application/json").body(Map.of("ttl", "ninety")).put(policy).then().statusCode(400)
                .body("message", equalTo("400 Bad request - ttl is invalid"));
        asAdmin().contentType("application/json").body("{\"enabled\": {\"yes\": true}}").put(policy)
                .then().statusCode(400).body("message", equalTo("400 Bad request - enabled is invalid"));
        String settings = "/api/v4/groups/" + groupId + "/dependency_proxy/settings";
        asAdmin().contentType("application/json").body(Map.of("manifest_revalidate_after", 31_536_001))
                .put(settings).then().statusCode(422).body("message", containsString("manifest_revalidate_after"));
        asAdmin().contentType("application/json").body(Map.of("manifest_revalidate_after", 31_536_000))
                .put(settings).then().statusCode(200);
    }

    @Test
    void datesAndIdsOutOfRangeAre4xx() {
        long groupId = createGroup(unique("dates"), null);
        asAdmin().contentType("application/json").body(Map.of("name", "t", "scopes", "read_registry",
                "expires_at", "+999999999-12-31T23:59:59Z")).post("/api/v4/groups/" + groupId + "/deploy_tokens")
                .then().statusCode(422).body("message", containsString("expires_at"));
        asAdmin().get("/api/v4/groups/" + groupId + "/members/99999999999999999999").then().statusCode(404);
        asAdmin().get("/api/v4/groups/99999999999999999999999").then().statusCode(404);
        asAdmin().contentType("application/json").body("{\"name\":\"x\",\"path\":\"x\",\"parent_id\":99999999999999999999}")
                .post("/api/v4/groups").then().statusCode(400).body("message", containsString("parent_id"));
    }

    @Test
    void aStoredTtlBeyondTheBoundDoesNotStopExpiryForOtherGroups() {
        String hostileGroup = unique("hostile");
        long hostile = createGroup(hostileGroup, null);
        byte[] hostileBytes = unique("hostile").getBytes(StandardCharsets.UTF_8);
        storeThroughAccelerator(path(hostileGroup, "app", "blobs", Digests.sha256(hostileBytes)), hostileBytes, null,
                null).then().statusCode(200);
        TestSql.update(em, "INSERT INTO dependency_proxy_image_ttl_group_policies (group_id, enabled, ttl, created_at,"
                + " updated_at) VALUES (?1, true, 2500000, now(), now())" + UPSERT, hostile);
        String group = unique("victim");
        long victim = createGroup(group, null);
        byte[] bytes = unique("old").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, "app", "blobs", digest), bytes, null, null).then().statusCode(200);
        TestSql.update(em, "UPDATE dependency_proxy_blobs SET read_at = now() - make_interval(days => 30)"
                + " WHERE group_id = ?1", victim);
        TestSql.update(em, "INSERT INTO dependency_proxy_image_ttl_group_policies (group_id, enabled, ttl, created_at,"
                + " updated_at) VALUES (?1, true, 7, now(), now())" + UPSERT, victim);
        try {
            ttl.expire();
            assertThat(TestSql.count(em, "SELECT count(*) FROM dependency_proxy_blobs WHERE group_id = ?1"
                    + " AND status = 0", victim)).as("the victim's expired record is marked").isZero();
        } finally {
            TestSql.update(em, "DELETE FROM dependency_proxy_image_ttl_group_policies WHERE group_id = ?1", hostile);
        }
    }
}

package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.support.ControlPlaneProcess;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.ReplicaBackends;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged control planes with the default decision cache ({@value #BOUND_SECONDS} s) against one PostgreSQL and
 * one S3 server. A change made through one replica (a revoked token, a removed member, a purge) stops working on
 * both within the documented bound; hits coalesced by a replica that stops gracefully are all counted; and a
 * referrers index one replica fetched is answered by the other with the upstream stopped.
 */
class HotPathReplicasIT {
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    private static final long BOUND_SECONDS = 5;
    /** The documented bound, plus the time one polled request may take. */
    private static final Duration WITHIN = HotPathConfig.MAX_DECISION_CACHE_TTL.plusMillis(1500);

    private static ReplicaBackends backends;
    private static ControlPlaneProcess first;
    private static ControlPlaneProcess second;

    @BeforeAll
    static void startTwoReplicas() {
        backends = ReplicaBackends.start("dp-hot-path", ADMIN_TOKEN);
        // loopback allowed as an upstream: the referrers test's upstream is a FakeRegistry on 127.0.0.1
        Map<String, String> env = backends.environment(Map.of("DP_OUTBOUND_ALLOW", "127.0.0.0/8"));
        first = ControlPlaneProcess.start("hot-path-a", env);
        second = ControlPlaneProcess.start("hot-path-b", env);
    }

    @AfterAll
    static void stop() throws Exception {
        ReplicaBackends.closeAll(first, second, backends);
    }

    @Test
    void revokedTokensStopWorkingOnBothReplicasWithinTheBound() {
        String group = unique("tokens");
        long groupId = createGroup(group);
        String username = unique("ci");
        long userId = admin(first).contentType("application/json")
                .body(Map.of("username", username, "name", "CI")).post("/api/v4/users")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Response pat = admin(first).contentType("application/json")
                .body(Map.of("name", "pull", "scopes", List.of("read_registry")))
                .post("/api/v4/users/" + userId + "/personal_access_tokens").then().statusCode(201).extract().response();
        Response deploy = admin(first).contentType("application/json")
                .body(Map.of("name", "ci", "scopes", List.of("read_registry")))
                .post("/api/v4/groups/" + groupId + "/deploy_tokens").then().statusCode(201).extract().response();
        String patRegistryToken = registryToken(first, username, pat.path("token"));
        String deployRegistryToken = registryToken(first, deploy.path("username"), deploy.path("token"));
        for (String token : List.of(patRegistryToken, deployRegistryToken)) {
            assertThat(v2(first, token)).isEqualTo(200);
            assertThat(v2(second, token)).isEqualTo(200);
        }

        admin(first).delete("/api/v4/personal_access_tokens/" + pat.path("id")).then().statusCode(204);
        admin(second).delete("/api/v4/groups/" + groupId + "/deploy_tokens/" + deploy.path("id"))
                .then().statusCode(204);

        awaitOnBoth("the revoked tokens refused", replica ->
                v2(replica, patRegistryToken) == 401 && v2(replica, deployRegistryToken) == 401);
    }

    @Test
    void aRemovedMemberLosesAccessOnBothReplicasWithinTheBound() throws Exception {
        String group = unique("members");
        long groupId = createGroup(group);
        String username = unique("dev");
        long userId = admin(first).contentType("application/json").body(Map.of("username", username, "name", "Dev"))
                .post("/api/v4/users").then().statusCode(201).extract().jsonPath().getLong("id");
        String token = admin(first).contentType("application/json")
                .body(Map.of("name", "pull", "scopes", List.of("read_registry")))
                .post("/api/v4/users/" + userId + "/personal_access_tokens").then().statusCode(201).extract().path("token");
        admin(first).contentType("application/json").body(Map.of("user_id", userId, "access_level", 10))
                .post("/api/v4/groups/" + groupId + "/members").then().statusCode(201);
        String manifest = cacheManifest(groupId);
        String registryToken = registryToken(second, username, token);
        assertThat(pull(first, registryToken, group, manifest).statusCode()).isEqualTo(200);
        assertThat(pull(second, registryToken, group, manifest).statusCode()).isEqualTo(200);

        admin(first).delete("/api/v4/groups/" + groupId + "/members/" + userId).then().statusCode(204);

        awaitOnBoth("the removed member refused", replica ->
                pull(replica, registryToken, group, manifest).statusCode() == 404);
    }

    @Test
    void aPurgedManifestStopsBeingServedAtOnceHereAndWithinTheBoundOnTheOtherReplica() throws Exception {
        String group = unique("purge");
        long groupId = createGroup(group);
        String manifest = cacheManifest(groupId);
        String root = registryToken(first, "root", ADMIN_TOKEN);
        assertThat(hit(pull(first, root, group, manifest))).isTrue();
        assertThat(hit(pull(second, root, group, manifest))).isTrue();

        admin(first).delete("/api/v4/groups/" + groupId + "/dependency_proxy/cache").then().statusCode(202);

        assertThat(hit(pull(first, root, group, manifest))).as("the purging replica stops at once").isFalse();
        awaitOnBoth("the purged manifest no longer served", replica -> !hit(pull(replica, root, group, manifest)));
    }

    @Test
    void everyHitOfAReplicaThatStopsGracefullyIsCounted() throws Exception {
        String group = unique("stopping");
        long groupId = createGroup(group);
        String manifest = cacheManifest(groupId);
        int hits = 25;
        try (ControlPlaneProcess stopping = ControlPlaneProcess.start("hot-path-stopping",
                backends.environment(Map.of("DP_HIT_FLUSH_INTERVAL", "1h")))) {
            String root = registryToken(stopping, "root", ADMIN_TOKEN);
            for (int i = 0; i < hits; i++) {
                assertThat(hit(pull(stopping, root, group, manifest))).isTrue();
            }
            assertThat(cacheHits(first, groupId)).as("coalesced on the stopping replica, not written yet").isZero();
        }
        assertThat(cacheHits(first, groupId)).as("written when it stopped").isEqualTo(hits);
    }

    @Test
    void aReferrersIndexOneReplicaFetchedIsAnsweredByTheOtherWithTheUpstreamStopped() {
        String group = unique("referrers");
        long groupId = createGroup(group);
        String subject = Digests.sha256(group.getBytes(StandardCharsets.UTF_8));
        String sbom = Digests.sha256((group + "-sbom").getBytes(StandardCharsets.UTF_8));
        String path = "/v2/" + group + "/dependency_proxy/containers/app/referrers/" + subject;
        String root = registryToken(first, "root", ADMIN_TOKEN);
        try (FakeRegistry upstream = FakeRegistry.start()) {
            upstream.putReferrers("app", subject, ReferrersTest.index(ReferrersTest.descriptor(sbom,
                    ReferrersTest.SBOM_TYPE)));
            long upstreamId = admin(first).contentType("application/json").body(Map.of("name", group + ".test",
                            "url", upstream.baseUrl(), "username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD))
                    .post("/api/v4/dependency_proxy/upstreams").then().statusCode(201).extract().jsonPath().getLong("id");
            admin(first).contentType("application/json").body(Map.of("upstream_ids", List.of(upstreamId)))
                    .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
            given().baseUri(first.baseUrl()).header("Authorization", "Bearer " + root).get(path).then()
                    .statusCode(200).header(Headers.CACHE_STATUS, "hit").body("manifests.digest", equalTo(List.of(sbom)));
        }

        given().baseUri(second.baseUrl()).header("Authorization", "Bearer " + root).get(path).then()
                .statusCode(200).header(Headers.CACHE_STATUS, "stale").body("manifests.digest", equalTo(List.of(sbom)));
    }

    private static void awaitOnBoth(String what, Predicate<ControlPlaneProcess> done) {
        long start = System.nanoTime();
        AtomicBoolean onFirst = new AtomicBoolean();
        AtomicBoolean onSecond = new AtomicBoolean();
        await("the bound of " + BOUND_SECONDS + " s (+ slack): " + what).atMost(WITHIN).until(() -> {
            onFirst.compareAndSet(false, done.test(first));
            onSecond.compareAndSet(false, done.test(second));
            return onFirst.get() && onSecond.get();
        });
        System.out.printf("%s after %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    /** A servable manifest record of the group and its object, as a finalize leaves them; returns its digest. */
    private static String cacheManifest(long groupId) throws Exception {
        byte[] bytes = ("{\"schemaVersion\":2,\"it\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        String key = ObjectKeys.manifest(groupId, digest);
        backends.putObject(key, bytes);
        try (Connection db = backends.connect(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO dependency_proxy_manifests (group_id, image_name, file_name, digest, content_type, size,"
                        + " object_key) VALUES (?, 'app', ?, ?, ?, ?, ?)")) {
            insert.setLong(1, groupId);
            insert.setString(2, "app:" + digest + ".json");
            insert.setString(3, digest);
            insert.setString(4, MediaTypes.OCI_MANIFEST);
            insert.setLong(5, bytes.length);
            insert.setString(6, key);
            insert.executeUpdate();
        }
        return digest;
    }

    private static Response pull(ControlPlaneProcess replica, String registryToken, String group, String digest) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + registryToken)
                .get("/v2/" + group + "/dependency_proxy/containers/app/manifests/" + digest);
    }

    private static boolean hit(Response response) {
        return response.statusCode() == 200 && "hit".equals(response.header(Headers.CACHE_STATUS));
    }

    private static int v2(ControlPlaneProcess replica, String registryToken) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + registryToken).get("/v2/")
                .statusCode();
    }

    private static String registryToken(ControlPlaneProcess replica, String username, String secret) {
        return given().baseUri(replica.baseUrl()).auth().preemptive().basic(username, secret)
                .queryParam("service", "dependency_proxy").get("/jwt/auth").then().statusCode(200).extract().path("token");
    }

    private static long cacheHits(ControlPlaneProcess replica, long groupId) {
        return admin(replica).get("/api/v4/groups/" + groupId + "/dependency_proxy/statistics")
                .then().statusCode(200).extract().jsonPath().getLong("cache_hits");
    }

    private static long createGroup(String path) {
        return admin(first).formParam("name", path).formParam("path", path).post("/api/v4/groups")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static RequestSpecification admin(ControlPlaneProcess replica) {
        return given().baseUri(replica.baseUrl()).header("PRIVATE-TOKEN", ADMIN_TOKEN);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

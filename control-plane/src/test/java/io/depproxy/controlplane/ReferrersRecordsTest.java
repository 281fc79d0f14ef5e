package io.depproxy.controlplane;

import static io.depproxy.controlplane.ReferrersTest.SBOM_TYPE;
import static io.depproxy.controlplane.ReferrersTest.SIG_TYPE;
import static io.depproxy.controlplane.ReferrersTest.descriptor;
import static io.depproxy.controlplane.ReferrersTest.index;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.lifecycle.TtlExpiryService;
import io.depproxy.controlplane.referrers.ReferrersIndex;
import io.depproxy.controlplane.referrers.ReferrersRecords;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The last good referrers index is kept in the database, not only in a replica's memory (the test profile's
 * {@code DP_TAGS_CACHE_TTL} is 0, so memory keeps nothing here): with the upstream stopped, a replica answers what
 * another one fetched, marked stale; a fetch writes the row only when the index changed; a purge and the TTL policy
 * remove rows; an index too large to store is not stored.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ReferrersRecordsTest {
    @Inject
    ReferrersRecords records;
    @Inject
    EntityManager em;
    @Inject
    TtlExpiryService ttl;

    /** A group whose only upstream is {@code upstream}; returns the group's id. */
    private static long groupOf(String group, long upstreamId) {
        long id = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstreamId)))
                .put("/api/v4/groups/" + id + "/dependency_proxy/upstreams").then().statusCode(200);
        return id;
    }

    private static long upstreamOf(FakeRegistry registry) {
        return UpstreamsApiTest.createUpstream(unique("kept") + ".test", registry.baseUrl(),
                Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
    }

    private static String referrersPath(String group, String image, String digest) {
        return "/v2/" + group + "/dependency_proxy/containers/" + image + "/referrers/" + digest;
    }

    private static String digestOf(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> storedIndexes(long groupId, String image, String subject) {
        return TestSql.list(em, "SELECT index_json FROM dependency_proxy_referrers WHERE group_id = ?1"
                + " AND image_name = ?2 AND subject_digest = ?3", groupId, image, subject);
    }

    @Test
    void withTheUpstreamStoppedAReplicaAnswersTheIndexAnotherReplicaFetched() {
        String image = unique("shared");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        String signature = digestOf(image + "-sig");
        String group = unique("shared");
        long groupId;
        try (FakeRegistry upstream = FakeRegistry.start()) {
            long upstreamId = upstreamOf(upstream);
            groupId = groupOf(group, upstreamId);
            // what the route on another replica stores after a fresh answer of the upstream
            records.remember(groupId, upstreamId, image, subject, ReferrersIndex.parse(new String(
                    index(descriptor(sbom, SBOM_TYPE), descriptor(signature, SIG_TYPE)), StandardCharsets.UTF_8))
                    .orElseThrow());
        }

        asRoot().queryParam("artifactType", SIG_TYPE).get(referrersPath(group, image, subject)).then().statusCode(200)
                .contentType(MediaTypes.OCI_INDEX).header(Headers.CACHE_STATUS, "stale")
                .header("Warning", containsString("110")).header("OCI-Filters-Applied", "artifactType")
                .body("manifests.digest", equalTo(List.of(signature)));
        asRoot().get(referrersPath(group, image, subject)).then().statusCode(200)
                .header(Headers.CACHE_STATUS, "stale").body("manifests.digest", equalTo(List.of(sbom, signature)));
        asRoot().get(referrersPath(group, image, digestOf(image + "-unknown"))).then().statusCode(503)
                .body("errors[0].code", equalTo("UNAVAILABLE"));
        assertThat(storedIndexes(groupId, image, subject)).hasSize(1);
    }

    @Test
    void aFreshAnswerIsStoredOnlyWhenItChangedAndAPurgeRemovesIt() {
        String image = unique("fetched");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        String signature = digestOf(image + "-sig");
        String group = unique("fetched");
        try (FakeRegistry upstream = FakeRegistry.start()) {
            long groupId = groupOf(group, upstreamOf(upstream));
            String path = referrersPath(group, image, subject);
            upstream.putReferrers(image, subject, index(descriptor(sbom, SBOM_TYPE)));
            asRoot().get(path).then().statusCode(200).header(Headers.CACHE_STATUS, "hit");
            assertThat(storedIndexes(groupId, image, subject)).singleElement().asString().contains(sbom);
            String version = "SELECT xmin::text FROM dependency_proxy_referrers WHERE group_id = ?1";
            Object written = TestSql.list(em, version, groupId).get(0);

            asRoot().get(path).then().statusCode(200).header(Headers.CACHE_STATUS, "hit");
            assertThat(TestSql.list(em, version, groupId).get(0)).as("unchanged: not rewritten").isEqualTo(written);

            upstream.putReferrers(image, subject, index(descriptor(sbom, SBOM_TYPE), descriptor(signature, SIG_TYPE)));
            asRoot().get(path).then().statusCode(200).body("manifests.digest", equalTo(List.of(sbom, signature)));
            assertThat(storedIndexes(groupId, image, subject)).singleElement().asString().contains(signature);

            upstream.failRepository(image, 503);
            asRoot().get(path).then().statusCode(200).header(Headers.CACHE_STATUS, "stale")
                    .body("manifests.digest", equalTo(List.of(sbom, signature)));

            asAdmin().delete("/api/v4/groups/" + groupId + "/dependency_proxy/cache").then().statusCode(202);
            assertThat(storedIndexes(groupId, image, subject)).isEmpty();
            asRoot().get(path).then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));
        }
    }

    @Test
    void theTtlPolicyRemovesOldIndexesOfSubjectsNoLongerCached() {
        String image = unique("aged");
        byte[] cachedBytes = ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + image + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String cachedSubject = Digests.sha256(cachedBytes);
        String goneSubject = digestOf(image + "-gone");
        String recentSubject = digestOf(image + "-recent");
        try (FakeRegistry upstream = FakeRegistry.start()) {
            long upstreamId = upstreamOf(upstream);
            String group = unique("aged");
            long groupId = groupOf(group, upstreamId);
            upstream.putManifest(image, "1", MediaTypes.OCI_MANIFEST, cachedBytes);
            storeThroughAccelerator(TestApi.path(group, image, "manifests", "1"), cachedBytes, cachedSubject,
                    MediaTypes.OCI_MANIFEST, Long.toString(upstreamId)).then().statusCode(200);
            ReferrersIndex one = new ReferrersIndex(List.of((ObjectNode) ContractJson.mapper().createObjectNode()
                    .put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", digestOf(image + "-sbom"))));
            for (String subject : List.of(cachedSubject, goneSubject, recentSubject)) {
                records.remember(groupId, upstreamId, image, subject, one);
            }
            TestSql.update(em, "UPDATE dependency_proxy_referrers SET fetched_at = now() - make_interval(days => 10)"
                    + " WHERE group_id = ?1 AND subject_digest <> ?2", groupId, recentSubject);
            AdminApi.expireAfter(groupId, 7);

            ttl.expire();

            assertThat(storedIndexes(groupId, image, goneSubject)).as("old, subject not cached").isEmpty();
            assertThat(storedIndexes(groupId, image, cachedSubject)).as("its subject is still cached").hasSize(1);
            assertThat(storedIndexes(groupId, image, recentSubject)).as("fetched within the ttl").hasSize(1);
        }
    }

    @Test
    void anIndexOverTheBoundIsNotStored() {
        String image = unique("huge");
        String subject = digestOf(image);
        try (FakeRegistry upstream = FakeRegistry.start()) {
            long upstreamId = upstreamOf(upstream);
            long groupId = groupOf(unique("huge"), upstreamId);
            ReferrersIndex huge = new ReferrersIndex(List.of(ContractJson.mapper().createObjectNode()
                    .put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", digestOf(image + "-sbom"))
                    .put("artifactType", "x".repeat(ReferrersRecords.MAX_STORED_BYTES))));
            records.remember(groupId, upstreamId, image, subject, huge);
            records.remember(groupId, upstreamId, image, digestOf(image + "-small"), ReferrersIndex.EMPTY);

            assertThat(storedIndexes(groupId, image, subject)).isEmpty();
            assertThat(storedIndexes(groupId, image, digestOf(image + "-small"))).hasSize(1);
        }
    }
}

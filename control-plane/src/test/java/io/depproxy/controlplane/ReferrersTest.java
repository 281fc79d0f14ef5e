package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.referrers.ReferrersIndex;
import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.referrers.ReferrersService;
import io.depproxy.controlplane.registry.GroupAccessService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The referrers API through the cache, against a real (small) upstream: from the upstream's own referrers API, from
 * its {@code sha256-<hex>} fallback tag, or an empty index; the {@code artifactType} filter; bad digests; stale-if-error.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ReferrersTest {
    static final String SBOM_TYPE = "application/spdx+json";
    static final String SIG_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";

    private static FakeRegistry upstream;
    private static FakeRegistry other;
    private static long otherId;
    @Inject
    ReferrersService referrers;
    @Inject
    GroupAccessService access;
    private static long upstreamId;

    @BeforeEach
    void registerUpstream() {
        if (upstream != null) {
            return;
        }
        upstream = FakeRegistry.start();
        upstreamId = UpstreamsApiTest.createUpstream(unique("refs") + ".test", upstream.baseUrl(),
                Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
        other = FakeRegistry.start();
        otherId = UpstreamsApiTest.createUpstream(unique("other") + ".test", other.baseUrl(),
                Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD));
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
            other.close();
        }
    }

    private static String group() {
        return group(upstreamId);
    }

    private static String group(Long... upstreamIds) {
        String group = unique("refs");
        long id = createGroup(group, null);
        asAdmin().contentType("application/json").body(Map.of("upstream_ids", List.of(upstreamIds)))
                .put("/api/v4/groups/" + id + "/dependency_proxy/upstreams").then().statusCode(200);
        return group;
    }

    private static String referrersPath(String group, String image, String digest) {
        return "/v2/" + group + "/dependency_proxy/containers/" + image + "/referrers/" + digest;
    }

    static String descriptor(String digest, String artifactType) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":321,"
                + "\"artifactType\":\"" + artifactType + "\",\"annotations\":{\"org.opencontainers.image.created\":"
                + "\"2026-01-01T00:00:00Z\"}}";
    }

    static byte[] index(String... descriptors) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", descriptors) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String digestOf(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String fallbackTag(String digest) {
        return digest.replace(':', '-');
    }

    @Test
    void theFallbackTagsIndexIsAnsweredAndFilteredByArtifactType() {
        String image = unique("app");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        String signature = digestOf(image + "-sig");
        upstream.putManifest(image, fallbackTag(subject), MediaTypes.OCI_INDEX,
                index(descriptor(sbom, SBOM_TYPE), descriptor(signature, SIG_TYPE)));
        String path = referrersPath(group(), image, subject);

        Response all = asRoot().get(path);
        all.then().statusCode(200).contentType(MediaTypes.OCI_INDEX).body("schemaVersion", equalTo(2))
                .body("mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests.digest", equalTo(List.of(sbom, signature)))
                .body("manifests[0].artifactType", equalTo(SBOM_TYPE))
                .body("manifests[0].size", equalTo(321))
                .body("manifests[0].annotations.'org.opencontainers.image.created'", equalTo("2026-01-01T00:00:00Z"));
        assertThat(all.header("OCI-Filters-Applied")).isNull();
        asRoot().queryParam("artifactType", SBOM_TYPE).get(path).then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType").body("manifests.digest", equalTo(List.of(sbom)));
        asRoot().queryParam("artifactType", "application/vnd.example.none").get(path).then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType").body("manifests", empty());
        asRoot().head(path).then().statusCode(200).contentType(MediaTypes.OCI_INDEX);
    }

    @Test
    void theUpstreamsReferrersApiWinsOverItsFallbackTagAndItsAnswerIsFilteredHere() {
        String image = unique("api");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        String signature = digestOf(image + "-sig");
        upstream.putReferrers(image, subject, index(descriptor(sbom, SBOM_TYPE), descriptor(signature, SIG_TYPE)));
        upstream.putManifest(image, fallbackTag(subject), MediaTypes.OCI_INDEX, index());
        String path = referrersPath(group(), image, subject);

        asRoot().get(path).then().statusCode(200).body("manifests.digest", equalTo(List.of(sbom, signature)));
        // the fake upstream ignores the filter, as a registry may: the cache applies it
        asRoot().queryParam("artifactType", SIG_TYPE).get(path).then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType").body("manifests.digest", equalTo(List.of(signature)));
    }

    @Test
    void theUpstreamThatServedTheSubjectAnswersElseTheFirstOfTheOrderThatHasIt() {
        String image = unique("routed");
        byte[] subjectBytes = ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + image + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String subject = other.putManifest(image, "1", MediaTypes.OCI_MANIFEST, subjectBytes);
        String fromFirst = digestOf(image + "-first");
        String fromOther = digestOf(image + "-other");
        upstream.putReferrers(image, subject, index(descriptor(fromFirst, SBOM_TYPE)));
        other.putReferrers(image, subject, index(descriptor(fromOther, SBOM_TYPE)));
        String cached = group(upstreamId, otherId);
        storeThroughAccelerator(TestApi.path(cached, image, "manifests", "1"), subjectBytes, subject,
                MediaTypes.OCI_MANIFEST, Long.toString(otherId)).then().statusCode(200);
        asRoot().get(referrersPath(cached, image, subject)).then().statusCode(200)
                .body("manifests.digest", equalTo(List.of(fromOther)));

        // not cached: the first upstream of the order has no such manifest (404), the next one has
        asRoot().get(referrersPath(group(upstreamId, otherId), image, subject)).then().statusCode(200)
                .body("manifests.digest", equalTo(List.of(fromOther)));
        // when both have the subject, the first of the order answers
        upstream.putManifest(image, "1", MediaTypes.OCI_MANIFEST, subjectBytes);
        asRoot().get(referrersPath(group(upstreamId, otherId), image, subject)).then().statusCode(200)
                .body("manifests.digest", equalTo(List.of(fromFirst)));
    }

    @Test
    void aSubjectWithoutReferrersGetsAnEmptyIndexNeverA404() {
        String image = unique("none");
        asRoot().get(referrersPath(group(), image, digestOf(image))).then().statusCode(200)
                .contentType(MediaTypes.OCI_INDEX).body("schemaVersion", equalTo(2)).body("manifests", empty());
    }

    @Test
    void badDigestsAndArtifactTypesAre400InTheRegistryFormat() {
        String group = group();
        for (String digest : List.of("latest", "sha512:" + "a".repeat(128), "sha256:abc", "sha256:" + "A".repeat(64))) {
            asRoot().get(referrersPath(group, "app", digest)).then().statusCode(400)
                    .body("errors[0].code", equalTo("DIGEST_INVALID"));
        }
        asRoot().queryParam("artifactType", "not a media type").get(referrersPath(group, "app", digestOf("x")))
                .then().statusCode(400).body("errors[0].code", equalTo("UNSUPPORTED"));
    }

    @Test
    void withoutALoginTheClientIsAskedForOne() {
        given().get(referrersPath(group(), "app", digestOf("anon"))).then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"))
                .header("WWW-Authenticate", containsString("Bearer realm="));
    }

    @Test
    void whenTheUpstreamFailsTheLastGoodIndexIsAnsweredStale() {
        String image = unique("stale");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        upstream.putManifest(image, fallbackTag(subject), MediaTypes.OCI_INDEX, index(descriptor(sbom, SBOM_TYPE)));
        String group = group();
        String path = referrersPath(group, image, subject);
        asRoot().get(path).then().statusCode(200).header(Headers.CACHE_STATUS, "hit");

        upstream.failRepository(image, 503);
        try {
            asRoot().queryParam("artifactType", SBOM_TYPE).get(path).then().statusCode(200)
                    .header(Headers.CACHE_STATUS, "stale").header("Warning", containsString("110"))
                    .header("OCI-Filters-Applied", "artifactType").body("manifests.digest", equalTo(List.of(sbom)));
            asRoot().get(referrersPath(group, image, digestOf(image + "-other"))).then().statusCode(503)
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
        } finally {
            upstream.failRepository(image, 0);
        }
    }

    @Test
    void otherCodeGetsTheParsedReferrersOfTheRoute() {
        String image = unique("parsed");
        String subject = digestOf(image);
        String sbom = digestOf(image + "-sbom");
        String signature = digestOf(image + "-sig");
        upstream.putManifest(image, fallbackTag(subject), MediaTypes.OCI_INDEX,
                index(descriptor(sbom, SBOM_TYPE), descriptor(signature, SIG_TYPE)));
        String group = group();
        RegistryRequest repository = RegistryRequest.parse(
                "/v2/" + group + "/dependency_proxy/containers/" + image + "/manifests/latest");

        List<ReferrersIndex.Referrer> parsed = QuarkusTransaction.requiringNew().call(() -> referrers.referrers(
                repository, access.pullTarget(RegistryPrincipal.user(0, 1, "root", true), group), subject, SIG_TYPE));
        assertThat(parsed).singleElement().satisfies(referrer -> {
            assertThat(referrer.digest()).isEqualTo(signature);
            assertThat(referrer.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(referrer.artifactType()).isEqualTo(SIG_TYPE);
            assertThat(referrer.size()).isEqualTo(321);
            assertThat(referrer.annotations()).containsEntry("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
        });
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.manifestHit;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.servedFromCache;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ManifestFlowTest {
    @InjectFakeRegistry
    FakeRegistry upstream;

    String group;
    long groupId;
    String image;
    String upstreamName;

    @BeforeEach
    void newGroupAndImage() {
        group = unique("manifests");
        groupId = createGroup(group, null);
        image = unique("app");
        upstreamName = "library/" + image;
    }

    /** The upstream serves {@code tag}; the client pulls it once (miss) and the accelerator stores it. */
    private String cacheTag(String tag, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = upstream.putManifest(upstreamName, tag, MediaTypes.OCI_INDEX, bytes);
        storeThroughAccelerator(path(group, image, "manifests", tag), bytes, digest, MediaTypes.OCI_INDEX)
                .then().statusCode(200);
        return digest;
    }

    @Test
    void aManifestOverTenMebibytesIsRefused() {
        byte[] huge = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        upstream.putManifest(upstreamName, "huge", MediaTypes.OCI_MANIFEST, huge);

        asRoot().get(path(group, image, "manifests", "huge")).then().statusCode(400)
                .body("errors[0].code", org.hamcrest.Matchers.equalTo("MANIFEST_INVALID"));
    }

    @Test
    void aTagMissFetchesWithAllManifestTypesAndNoDigest() {
        upstream.putManifest(upstreamName, "3.20", MediaTypes.DOCKER_MANIFEST, "{\"v\":1}".getBytes());
        String manifestPath = path(group, image, "manifests", "3.20");

        SendDependency fetch = (SendDependency) injection(asRoot().get(manifestPath).then().statusCode(200).extract().response());
        assertThat(fetch.url()).isEqualTo(upstream.baseUrl() + "/v2/" + upstreamName + "/manifests/3.20");
        assertThat(fetch.headers().all("Accept")).containsExactlyElementsOf(MediaTypes.MANIFEST_TYPES);
        assertThat(fetch.headers().first("Authorization")).startsWith("Bearer tok-");
        assertThat(fetch.digest()).isNull();
        // coalesced on the digest the upstream announced, never on the tag, which may move, and only with fetches
        // from the same upstream and repository
        assertThat(fetch.coalesce()).isEqualTo("manifest:" + groupId + ":" + fetch.uploadConfig().headers()
                .first(Headers.UPSTREAM_ID) + ":" + upstreamName + "@" + Digests.sha256("{\"v\":1}".getBytes()));
        // the type the upstream's HEAD announced, and the manifest cap
        assertThat(fetch.responseHeaders().first("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(fetch.maximumSize()).isEqualTo(AuthorizeResponse.MAX_MANIFEST_SIZE);
        assertThat(fetch.uploadConfig().url()).isEqualTo(manifestPath + "/upload");
        // the upload names the upstream the bytes come from (the default one here), for the record
        assertThat(fetch.uploadConfig().headers().first(Headers.UPSTREAM_ID)).matches("[0-9]+");
        assertThat(fetch.responseHeaders().first(Headers.CACHE_STATUS)).isEqualTo("miss");
    }

    @Test
    void aCachedTagWhoseDigestTheUpstreamConfirmsIsAHit() {
        String digest = cacheTag("stable", "{\"schemaVersion\":2,\"manifests\":[]}");
        int before = upstream.requestsFor(upstreamName).size();

        assertThat(manifestHit(asRoot().get(path(group, image, "manifests", "stable")),
                "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(), digest, MediaTypes.OCI_INDEX)).isEqualTo("hit");
        assertThat(upstream.requestsFor(upstreamName).subList(before, upstream.requestsFor(upstreamName).size()))
                .containsExactly("HEAD /v2/" + upstreamName + "/manifests/stable");
    }

    @Test
    void aTagThatMovedUpstreamIsFetchedAgain() {
        cacheTag("latest", "{\"v\":\"old\"}");
        upstream.putManifest(upstreamName, "latest", MediaTypes.OCI_INDEX, "{\"v\":\"new\"}".getBytes());

        assertThat(injection(asRoot().get(path(group, image, "manifests", "latest"))))
                .isInstanceOf(SendDependency.class);
    }

    @Test
    void anUpstreamFailureServesTheCachedTagMarkedStale() {
        String digest = cacheTag("edge", "{\"v\":\"cached\"}");
        upstream.failRepository(upstreamName, 503);
        try {
            Response stale = asRoot().get(path(group, image, "manifests", "edge"));
            assertThat(manifestHit(stale, "{\"v\":\"cached\"}".getBytes(), digest, MediaTypes.OCI_INDEX))
                    .isEqualTo("stale");
            assertThat(stale.header("Warning")).isEqualTo("110 - \"Response is Stale\"");

            asRoot().head(path(group, image, "manifests", "edge")).then().statusCode(200)
                    .header(Headers.CACHE_STATUS, "stale").header(Headers.DOCKER_CONTENT_DIGEST, digest);
        } finally {
            upstream.failRepository(upstreamName, 0);
        }
    }

    @Test
    void aCachedDigestIsServedWithoutContactingTheUpstream() {
        String digest = cacheTag("v1", "{\"v\":\"by-digest\"}");
        int before = upstream.requestsFor(upstreamName).size();

        assertThat(manifestHit(asRoot().get(path(group, image, "manifests", digest)),
                "{\"v\":\"by-digest\"}".getBytes(), digest, MediaTypes.OCI_INDEX)).isEqualTo("hit");
        asRoot().head(path(group, image, "manifests", digest)).then().statusCode(200)
                .header("Content-Length", String.valueOf("{\"v\":\"by-digest\"}".length()))
                .header("Content-Type", MediaTypes.OCI_INDEX);
        assertThat(upstream.requestsFor(upstreamName)).hasSize(before);
    }

    @Test
    void anUncachedDigestIsFetchedWithThatDigestToVerify() {
        String digest = upstream.putManifest(upstreamName, "x", MediaTypes.OCI_MANIFEST, "{\"d\":1}".getBytes());
        SendDependency fetch = (SendDependency) injection(asRoot().get(path(group, image, "manifests", digest)));
        assertThat(fetch.digest()).isEqualTo(digest);
        assertThat(fetch.url()).endsWith("/manifests/" + digest);
    }

    @Test
    void withinTheRevalidationWindowTheUpstreamIsNotAsked() {
        cacheTag("pinned", "{\"v\":\"window\"}");
        AdminApi.updateSettings(groupId, Map.of("manifest_revalidate_after", 3600));
        int before = upstream.requestsFor(upstreamName).size();

        assertThat(servedFromCache(asRoot().get(path(group, image, "manifests", "pinned")))).isTrue();
        assertThat(upstream.requestsFor(upstreamName)).hasSize(before);
    }

    @Test
    void aHeadOnAnUncachedTagAsksTheUpstreamWithAHeadOnly() {
        byte[] bytes = "{\"head\":true}".getBytes();
        String digest = upstream.putManifest(upstreamName, "h", MediaTypes.DOCKER_MANIFEST, bytes);

        asRoot().head(path(group, image, "manifests", "h")).then().statusCode(200)
                .header("Content-Length", String.valueOf(bytes.length))
                .header("Content-Type", MediaTypes.DOCKER_MANIFEST)
                .header(Headers.DOCKER_CONTENT_DIGEST, digest)
                .header(Headers.SEND_DATA, nullValue());
        asRoot().head(path(group, image, "manifests", "missing")).then().statusCode(404);
        assertThat(upstream.requestsFor(upstreamName)).allMatch(request -> request.startsWith("HEAD "));
    }

    @Test
    void anUpstream401DropsTheCachedTokenAndRetriesOnce() {
        String digest = cacheTag("retry", "{\"v\":\"retry\"}");
        int tokens = upstream.tokensIssued();
        upstream.revokeTokens();

        assertThat(manifestHit(asRoot().get(path(group, image, "manifests", "retry")),
                "{\"v\":\"retry\"}".getBytes(), digest, MediaTypes.OCI_INDEX)).isEqualTo("hit");
        assertThat(upstream.tokensIssued()).isEqualTo(tokens + 1);
    }

    @Test
    void upstreamTokensAreReusedForTheSameRepository() {
        upstream.putManifest(upstreamName, "a", MediaTypes.DOCKER_MANIFEST, "{\"a\":1}".getBytes());
        asRoot().get(path(group, image, "manifests", "a")).then().statusCode(200);
        int tokens = upstream.tokensIssued();
        asRoot().get(path(group, image, "manifests", "a")).then().statusCode(200);
        asRoot().get(path(group, image, "blobs", Digests.sha256(new byte[1]))).then().statusCode(200);
        assertThat(upstream.tokensIssued()).isEqualTo(tokens);
    }
}

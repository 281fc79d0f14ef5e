package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendUrl;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
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
 * Two more upstream registries besides the default: pulls by name, the group's order (a 404 falls through, an error
 * does not unless the group allows it), revalidation against the upstream that served a tag, inheritance of lists
 * and credentials, and tags/list with pagination and stale-if-error.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ManyUpstreamsTest {
    private static FakeRegistry first;
    private static FakeRegistry second;
    private static String firstName;
    private static String secondName;
    private static long firstId;
    private static long secondId;

    @BeforeEach
    void registerUpstreams() {
        if (first != null) {
            return;
        }
        first = FakeRegistry.start();
        second = FakeRegistry.start();
        firstName = unique("first") + ".test";
        secondName = unique("second") + ".test";
        Map<String, Object> credentials = Map.of("username", FakeRegistry.USERNAME, "secret", FakeRegistry.PASSWORD);
        firstId = UpstreamsApiTest.createUpstream(firstName, first.baseUrl(), credentials);
        secondId = UpstreamsApiTest.createUpstream(secondName, second.baseUrl(), credentials);
    }

    @AfterAll
    static void stopUpstreams() {
        if (first != null) {
            first.close();
            second.close();
        }
    }

    private static byte[] manifest(String text) {
        return ("{\"schemaVersion\":2,\"annotations\":{\"v\":\"" + text + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String groupWith(Long... upstreamIds) {
        String group = unique("many");
        long id = createGroup(group, null);
        if (upstreamIds.length > 0) {
            setList(id, List.of(upstreamIds), null);
        }
        return group;
    }

    private static void setList(long groupId, List<Long> ids, Boolean fallback) {
        Map<String, Object> body = fallback == null ? Map.of("upstream_ids", ids)
                : Map.of("upstream_ids", ids, "fallback_on_error", fallback);
        asAdmin().contentType("application/json").body(body)
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/upstreams").then().statusCode(200);
    }

    private static SendDependency fetchOf(Response response) {
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }

    @Test
    void aPullByNameGoesToThatUpstreamOnlyWithTheRestOfTheName() {
        String image = unique("tool");
        second.putManifest("org/" + image, "1.2", MediaTypes.OCI_MANIFEST, manifest("by-name"));
        String blob = second.putBlob("org/" + image, "layer".getBytes(StandardCharsets.UTF_8));
        // an upstream with the instance's credentials is pulled by name by the groups it is listed for
        String group = groupWith(firstId, secondId);

        SendDependency manifestFetch = fetchOf(asRoot().get(path(group, secondName + "/org/" + image, "manifests", "1.2")));
        assertThat(manifestFetch.url()).isEqualTo(second.baseUrl() + "/v2/org/" + image + "/manifests/1.2");
        assertThat(manifestFetch.uploadConfig().headers().first(Headers.UPSTREAM_ID)).isEqualTo(Long.toString(secondId));
        SendDependency blobFetch = fetchOf(asRoot().get(path(group, secondName + "/org/" + image, "blobs", blob)));
        assertThat(blobFetch.url()).isEqualTo(second.baseUrl() + "/v2/org/" + image + "/blobs/" + blob);
        assertThat(first.requestsFor("org/" + image)).isEmpty();
    }

    @Test
    void theSameDigestIsStoredOncePerGroupButATagIsKeptPerUpstreamName() {
        String image = unique("same");
        byte[] layer = ("layer-" + image).getBytes(StandardCharsets.UTF_8);
        String blob = first.putBlob(image, layer);
        second.putBlob(image, layer);
        byte[] ordered = manifest("ordered");
        String orderedDigest = first.putManifest(image, "1", MediaTypes.OCI_MANIFEST, ordered);
        second.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("by-name"));
        String group = groupWith(firstId, secondId);
        storeThroughAccelerator(path(group, image, "blobs", blob), layer, blob, null, Long.toString(firstId))
                .then().statusCode(200);
        storeThroughAccelerator(path(group, image, "manifests", "1"), ordered, orderedDigest, MediaTypes.OCI_MANIFEST,
                Long.toString(firstId)).then().statusCode(200);

        // the bytes of a digest are the same whoever served them: one object per group, a hit by name too
        Response hit = asRoot().get(path(group, secondName + "/" + image, "blobs", blob));
        hit.then().statusCode(200);
        assertThat(injection(hit)).isInstanceOf(SendUrl.class);
        // a tag is not: the by-name pull never gets the first upstream's manifest for the same tag
        SendDependency byName = fetchOf(asRoot().get(path(group, secondName + "/" + image, "manifests", "1")));
        assertThat(byName.url()).isEqualTo(second.baseUrl() + "/v2/" + image + "/manifests/1");
        assertThat(second.requestsFor(image)).noneMatch(request -> request.contains("/blobs/"));
    }

    @Test
    void aFirstComponentWithoutADotIsPartOfTheImageWhateverHostAnUpstreamHas() {
        String host = unique("mirror");
        UpstreamsApiTest.createUpstream(host + ".test", "http://" + host + ":5000", Map.of());
        String group = groupWith();
        SendDependency fetch = fetchOf(asRoot().get(path(group, host + "/app", "manifests", "1")));
        assertThat(fetch.url()).doesNotContain(host + ":5000").endsWith("/v2/" + host + "/app/manifests/1");
    }

    @Test
    void inTheGroupsOrderA404FallsThroughToTheNextUpstream() {
        String image = unique("ordered");
        second.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("second"));
        String group = groupWith(firstId, secondId);

        SendDependency fetch = fetchOf(asRoot().get(path(group, image, "manifests", "1")));
        assertThat(fetch.url()).isEqualTo(second.baseUrl() + "/v2/" + image + "/manifests/1");
        assertThat(first.requestsFor(image)).containsExactly("HEAD /v2/" + image + "/manifests/1");
        asRoot().get(path(group, unique("nowhere"), "manifests", "1")).then().statusCode(404)
                .body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void anErrorOfTheFirstUpstreamDoesNotFallThroughUnlessTheGroupAllowsIt() {
        String image = unique("owned");
        first.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("first"));
        second.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("impostor"));
        first.failRepository(image, 500);
        String group = unique("strict");
        long groupId = createGroup(group, null);
        setList(groupId, List.of(firstId, secondId), null);

        asRoot().get(path(group, image, "manifests", "1")).then().statusCode(503)
                .body("errors[0].code", equalTo("UNAVAILABLE"));
        assertThat(second.requestsFor(image)).isEmpty();

        setList(groupId, List.of(firstId, secondId), true);
        SendDependency fetch = fetchOf(asRoot().get(path(group, image, "manifests", "1")));
        assertThat(fetch.url()).startsWith(second.baseUrl());
        first.failRepository(image, 0);
    }

    @Test
    void aCachedTagRevalidatesAgainstTheUpstreamThatServedItOnly() {
        String image = unique("moving");
        byte[] v1 = manifest("v1");
        String digest = second.putManifest(image, "stable", MediaTypes.OCI_MANIFEST, v1);
        String group = groupWith(firstId, secondId);
        String tagPath = path(group, image, "manifests", "stable");
        SendDependency fetch = fetchOf(asRoot().get(tagPath));
        storeThroughAccelerator(tagPath, v1, digest, MediaTypes.OCI_MANIFEST,
                fetch.uploadConfig().headers().first(Headers.UPSTREAM_ID)).then().statusCode(200);
        first.putManifest(image, "stable", MediaTypes.OCI_MANIFEST, manifest("first-now-has-it"));
        int firstRequests = first.requestsFor(image).size();

        asRoot().get(tagPath).then().statusCode(200).header(Headers.CACHE_STATUS, "hit");
        String moved = second.putManifest(image, "stable", MediaTypes.OCI_MANIFEST, manifest("v2"));
        SendDependency refetch = fetchOf(asRoot().get(tagPath));
        assertThat(refetch.url()).isEqualTo(second.baseUrl() + "/v2/" + image + "/manifests/stable");
        assertThat(refetch.coalesce()).endsWith(moved);
        assertThat(first.requestsFor(image)).hasSize(firstRequests);
    }

    @Test
    void subgroupsInheritTheirAncestorsListAndCredentialsUnlessTheyHaveTheirOwn() {
        String image = unique("inherited");
        first.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("first"));
        second.putManifest(image, "1", MediaTypes.OCI_MANIFEST, manifest("second"));
        String parent = unique("parent");
        long parentId = createGroup(parent, null);
        setList(parentId, List.of(secondId), null);
        first.allowCredentials("team-parent", "pw-parent");
        long childId = createGroup("child", parentId);
        String child = parent + "/child";

        assertThat(fetchOf(asRoot().get(path(child, image, "manifests", "1"))).url()).startsWith(second.baseUrl());
        asAdmin().get("/api/v4/groups/" + childId + "/dependency_proxy/upstreams").then().statusCode(200)
                .body("inherited", equalTo(true)).body("source_group_id", equalTo((int) parentId));

        setList(parentId, List.of(firstId), null);
        asAdmin().contentType("application/json").body(Map.of("identity", "team-parent", "secret", "pw-parent"))
                .put("/api/v4/groups/" + parentId + "/dependency_proxy/upstreams/" + firstId).then().statusCode(200);
        assertThat(fetchOf(asRoot().get(path(child, image, "manifests", "1"))).url()).startsWith(first.baseUrl());
        assertThat(first.tokenRequestUsernames()).contains("team-parent");

        setList(childId, List.of(secondId), null);
        assertThat(fetchOf(asRoot().get(path(child, image, "manifests", "1"))).url()).startsWith(second.baseUrl());
    }

    @Test
    void tagsListPagesThroughTheUpstreamAndAnswersTheLastGoodPageWhenItFails() {
        String image = unique("tagged");
        byte[] bytes = manifest("tags");
        String digest = null;
        for (String tag : List.of("a", "b", "c")) {
            digest = second.putManifest(image, tag, MediaTypes.OCI_MANIFEST, bytes);
        }
        String group = groupWith(firstId, secondId);
        String tags = "/v2/" + group + "/dependency_proxy/containers/" + image + "/tags/list";
        asRoot().get(tags).then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        storeThroughAccelerator(path(group, image, "manifests", "a"), bytes, digest, MediaTypes.OCI_MANIFEST,
                Long.toString(secondId)).then().statusCode(200);

        asRoot().get(tags + "?n=2").then().statusCode(200)
                .body("name", equalTo(image)).body("tags", equalTo(List.of("a", "b")))
                .header("Link", "<" + tags + "?n=2&last=b>; rel=\"next\"");
        Response next = asRoot().get(tags + "?n=2&last=b");
        next.then().statusCode(200).body("tags", equalTo(List.of("c")));
        assertThat(next.header("Link")).isNull();

        second.failRepository(image, 503);
        asRoot().get(tags + "?n=2").then().statusCode(200).body("tags", equalTo(List.of("a", "b")))
                .header(Headers.CACHE_STATUS, "stale");
        asRoot().get(tags + "?n=1").then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));
        second.failRepository(image, 0);
    }
}

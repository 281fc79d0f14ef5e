package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.depproxy.controlplane.support.TestApi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Registry answers share an origin with the admin page: every answer says {@code nosniff}, and what a miss is said
 * to be comes from the registry's media-type list, never from what an upstream called it.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ResponseHardeningTest {
    private static final String HTML = "text/html; charset=utf-8";

    @InjectFakeRegistry
    FakeRegistry upstream;

    @Test
    void everyKindOfAnswerSaysNosniffOnce() {
        String group = unique("nosniff");
        createGroup(group, null);
        String image = unique("img");
        String digest = upstream.putBlob("library/" + image, "bytes".getBytes(StandardCharsets.UTF_8));

        assertNoSniffOnce(given().get("/v2/"));
        assertNoSniffOnce(asRoot().get("/v2/"));
        assertNoSniffOnce(asRoot().get(path(group, image, "blobs", digest)));
        assertNoSniffOnce(asRoot().get(path(group, image, "manifests", "missing")));
        assertNoSniffOnce(given().get("/api/v4/groups"));
        assertNoSniffOnce(given().header("PRIVATE-TOKEN", TestApi.adminToken()).get("/api/v4/groups"));
        assertNoSniffOnce(given().redirects().follow(false).get("/admin"));
        assertNoSniffOnce(given().get("/admin/sign_in"));
        assertNoSniffOnce(given().get("/nowhere"));
        assertNoSniffOnce(given().get("/-/health/live"));
        assertNoSniffOnce(given().get("/-/metrics"));
    }

    @Test
    void aBlobAnUpstreamServesAsHtmlIsOctetStreamToTheClient() {
        String group = unique("types");
        createGroup(group, null);
        String image = unique("html");
        String digest = upstream.putBlob("library/" + image, "<script>alert(1)</script>".getBytes(), HTML);

        asRoot().head(path(group, image, "blobs", digest)).then().statusCode(200)
                .header("Content-Type", MediaTypes.OCTET_STREAM);
        SendDependency fetch = fetchOf(asRoot().get(path(group, image, "blobs", digest)));
        assertThat(fetch.responseHeaders().first("Content-Type")).isEqualTo(MediaTypes.OCTET_STREAM);
    }

    @Test
    void aManifestAnUpstreamServesAsHtmlIsAManifestTypeToTheClient() {
        String group = unique("types");
        createGroup(group, null);
        String image = unique("html");
        upstream.putManifest("library/" + image, "1", HTML, "{\"schemaVersion\":2}".getBytes());

        asRoot().head(path(group, image, "manifests", "1")).then().statusCode(200)
                .header("Content-Type", MediaTypes.UNNAMED_MANIFEST);
        SendDependency fetch = fetchOf(asRoot().get(path(group, image, "manifests", "1")));
        assertThat(fetch.responseHeaders().first("Content-Type")).isEqualTo(MediaTypes.UNNAMED_MANIFEST);
    }

    private static void assertNoSniffOnce(Response response) {
        assertThat(response.headers().getValues("X-Content-Type-Options")).as("%s", response.statusLine())
                .containsExactly("nosniff");
    }

    private static SendDependency fetchOf(Response response) {
        response.then().statusCode(200);
        return (SendDependency) injection(response);
    }
}

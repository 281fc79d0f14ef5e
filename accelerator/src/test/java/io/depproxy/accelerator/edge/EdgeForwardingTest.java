package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.RecordedRequest;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the edge lets through reaches the control plane with exactly the path and query the client sent. */
class EdgeForwardingTest extends AcceleratorTestBase {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /v2/",
            "GET, /v2",
            "GET, /v2/acme/platform/dependency_proxy/containers/bitnami/redis/manifests/7.2",
            "HEAD, /v2/acme/dependency_proxy/containers/alpine/manifests/upload",
            "GET, /v2/acme/dependency_proxy/containers/alpine/tags/list?n=10&last=3.19",
            "GET, /v2/alpine/manifests/latest?ns=docker.io",
            "GET, /v2/acme/dependency_proxy/containers/alpine/referrers/sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef?artifactType=application%2Fspdx%2Bjson",
            "HEAD, /v2/library/alpine/referrers/sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef?artifactType=application/spdx+json&ns=docker.io",
            "GET, /jwt/auth?service=dependency_proxy&scope=repository%3Aacme%2Fdependency_proxy%2Fcontainers%2Falpine%3Apull",
            "POST, /jwt/auth",
            "GET, /api/v4/groups/acme%2Fplatform/dependency_proxy/settings",
            "DELETE, /api/v4/groups/acme%2Fplatform/dependency_proxy/cache",
            "GET, /api/v4/groups?page=2&per_page=20",
            "GET, /api/v4/openapi",
    })
    void forwardsAPublicRequestExactlyAsSent(String method, String uri) {
        ClientResponse response = call(port, HttpMethod.valueOf(method), uri);

        assertThat(response.status()).isEqualTo(404);
        assertThat(controlPlane.everyRequest()).singleElement()
                .satisfies(seen -> assertThat(seen.uri()).isEqualTo(uri))
                .satisfies(seen -> assertThat(seen.method()).isEqualTo(method));
    }

    @Test
    void dropsWorkhorseHeadersAClientSent() {
        controlPlane.answer("/v2/", request -> request.response().end("{}"));

        ClientResponse response = get("/v2/", "Gitlab-Workhorse-Api-Request", "forged.jwt.value",
                "gitlab-workhorse-send-data", "send-url:e30=", "WORKHORSE-PROXY-CONTENT-TYPE", "text/html",
                "Workhorse-Anything", "x", "X-Kept", "kept");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest seen = controlPlane.requests("/v2/").get(0);
        assertThat(seen.headers().names()).noneMatch(InternalHeaders::isInternal);
        assertThat(seen.header("X-Kept")).isEqualTo("kept");
    }
}

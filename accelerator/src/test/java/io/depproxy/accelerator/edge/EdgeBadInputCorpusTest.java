package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and mistaken requests at the public port: each is answered here with a 4xx in its route's error format
 * (registry JSON, or {@code {"message"}} under {@code /api/v4}), never a 5xx or a reset, and none of them reaches
 * the control plane.
 */
class EdgeBadInputCorpusTest extends AcceleratorTestBase {
    private static final String MANIFEST = GROUP_PATH + "/manifests/latest";
    private static final String BLOB = GROUP_PATH + "/blobs/sha256:" + "a".repeat(64);
    private static final int OVER_BODY_LIMIT = (int) EdgeLimits.MAX_FORWARDED_BODY_BYTES + 1;

    enum Format { REGISTRY, MESSAGE }

    /** One request: method, raw path, headers as name/value pairs, a body size (-1: none; chunked if negative). */
    record Case(String name, HttpMethod method, String path, List<String> headers, int bodyBytes, boolean chunked,
                int status, Format format, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() {
        return Stream.of(
                registry("double slash before the accelerator's own route", "//-/metrics", 404, "NAME_UNKNOWN"),
                registry("dot-dot climbing out of /v2", "/v2/../-/metrics", 400, "NAME_INVALID"),
                registry("percent-encoded dash", "/%2D/metrics", 404, "NAME_UNKNOWN"),
                registry("encoded dot-dot under /v2", "/v2/%2e%2e/-/metrics", 400, "NAME_INVALID"),
                registry("encoded slash in a group path", "/v2/acme%2Fplatform/dependency_proxy/containers/alpine"
                        + "/manifests/latest", 400, "NAME_INVALID"),
                registry("empty segment in a pull path", "/v2/acme//dependency_proxy/containers/alpine/manifests/latest",
                        400, "NAME_INVALID"),
                registry("dot segment in a pull path", "/v2/./acme/dependency_proxy/containers/alpine/manifests/latest",
                        400, "NAME_INVALID"),
                registry("trailing slash after a reference", MANIFEST + "/", 400, "NAME_INVALID"),
                registry("backslash in a pull path", "/v2/acme\\dependency_proxy/containers/alpine/manifests/latest",
                        400, "NAME_INVALID"),
                registry("encoded NUL in a pull path", "/v2/acme/dependency_proxy/containers/al%00pine/manifests/latest",
                        400, "NAME_INVALID"),
                registry("malformed percent escape", "/v2/acme/dependency_proxy/containers/%zz/manifests/latest",
                        400, "NAME_INVALID"),
                registry("matrix parameter hiding a dot-dot", "/v2/..;/-/metrics", 400, "NAME_INVALID"),
                registry("matrix parameter on a group", "/v2/acme;v=1/dependency_proxy/containers/alpine/manifests/latest",
                        400, "NAME_INVALID"),
                registry("anything under /jwt/auth", "/jwt/auth/../v2/", 404, "NAME_UNKNOWN"),
                registry("a path outside the public prefixes", "/metrics", 404, "NAME_UNKNOWN"),
                registry("the control plane's own /-/ routes", "/-/jwks", 404, "NAME_UNKNOWN"),
                registry("an own route with a trailing slash", "/-/health/live/", 404, "NAME_UNKNOWN"),
                registry("the api prefix without its version", "/api/v3/groups", 404, "NAME_UNKNOWN"),
                message("encoded full path that climbs out", "/api/v4/groups/acme%2F..%2Fadmin", 400),
                message("encoded dot-dot as an :id", "/api/v4/groups/%2e%2e/members", 400),
                message("malformed escape in an :id", "/api/v4/groups/%zz", 400),
                message("encoded empty part in an :id", "/api/v4/groups/acme%2F%2Fplatform", 400),
                message("empty segment in an api path", "/api/v4//groups", 400),
                message("encoded backslash in an :id", "/api/v4/groups/acme%5Cplatform", 400),
                message("matrix parameter in an api path", "/api/v4/groups/..;/users", 400),
                call("internal authorize route", HttpMethod.POST, BLOB + "/upload/authorize", 404, "NAME_UNKNOWN"),
                call("internal finalize route", HttpMethod.POST, BLOB + "/upload", 404, "NAME_UNKNOWN"),
                call("internal finalize route read with GET", HttpMethod.GET, MANIFEST + "/upload", 404, "NAME_UNKNOWN"),
                call("push of a manifest", HttpMethod.PUT, MANIFEST, 405, "UNSUPPORTED"),
                call("delete of a blob", HttpMethod.DELETE, BLOB, 405, "UNSUPPORTED"),
                call("blob upload start", HttpMethod.POST, GROUP_PATH + "/blobs/uploads/", 405, "UNSUPPORTED"),
                call("patch of the token route", HttpMethod.PATCH, "/jwt/auth", 405, "UNSUPPORTED"),
                new Case("request line beyond the limit", HttpMethod.GET, "/v2/" + "a".repeat(10_000), List.of(),
                        -1, false, 414, Format.REGISTRY, "NAME_INVALID"),
                new Case("headers beyond the limit", HttpMethod.GET, "/v2/", List.of("X-Padding", "p".repeat(20_000)),
                        -1, false, 431, Format.REGISTRY, "NAME_INVALID"),
                new Case("token form beyond the body limit", HttpMethod.POST, "/jwt/auth", List.of(), OVER_BODY_LIMIT,
                        false, 413, Format.REGISTRY, "SIZE_INVALID"),
                new Case("chunked token form beyond the body limit", HttpMethod.POST, "/jwt/auth", List.of(),
                        OVER_BODY_LIMIT, true, 413, Format.REGISTRY, "SIZE_INVALID"),
                new Case("admin body beyond the limit", HttpMethod.PUT, "/api/v4/groups/1/dependency_proxy/settings",
                        List.of("Content-Type", "application/json"), OVER_BODY_LIMIT, false, 413, Format.MESSAGE, null),
                new Case("chunked admin body beyond the limit", HttpMethod.PUT,
                        "/api/v4/groups/1/dependency_proxy/settings", List.of("Content-Type", "application/json"),
                        OVER_BODY_LIMIT, true, 413, Format.MESSAGE, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedAtTheEdgeInItsRoutesFormat(Case input) {
        ClientResponse response = Await.result(send(input));

        assertThat(response.status()).isEqualTo(input.status());
        assertThat(response.completed()).isTrue();
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonObject body = new JsonObject(response.bodyText());
        if (input.format() == Format.REGISTRY) {
            assertThat(body.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo(input.code());
        } else {
            assertThat(body.getString("message")).isNotBlank();
            assertThat(body.containsKey("errors")).isFalse();
        }
        if (input.status() == 405) {
            assertThat(response.header("Allow")).isIn(EdgeRules.REGISTRY_ALLOW, EdgeRules.TOKEN_ALLOW);
        }
        assertThat(controlPlane.everyRequest()).isEmpty();
    }

    private Future<ClientResponse> send(Case input) {
        RequestOptions options = new RequestOptions().setMethod(input.method()).setHost("127.0.0.1").setPort(port)
                .setURI(input.path()).setIdleTimeout(20_000);
        for (int i = 0; i < input.headers().size(); i += 2) {
            options.addHeader(input.headers().get(i), input.headers().get(i + 1));
        }
        Buffer body = input.bodyBytes() < 0 ? null : Buffer.buffer(new byte[input.bodyBytes()]);
        return onClientContext(() -> client.request(options).compose(request -> {
            if (body == null) {
                return request.send();
            }
            if (!input.chunked()) {
                return request.send(body);
            }
            request.setChunked(true);
            int chunk = 64 * 1024;
            List<Future<Void>> writes = new ArrayList<>();
            for (int offset = 0; offset < body.length(); offset += chunk) {
                writes.add(request.write(body.slice(offset, Math.min(body.length(), offset + chunk))));
            }
            request.end();
            return request.response();
        }).compose(response -> response.body().map(bytes -> new ClientResponse(response.statusCode(),
                response.headers(), bytes, null))));
    }

    private static Case registry(String name, String path, int status, String code) {
        return call(name, HttpMethod.GET, path, status, code);
    }

    private static Case call(String name, HttpMethod method, String path, int status, String code) {
        return new Case(name, method, path, List.of(), -1, false, status, Format.REGISTRY, code);
    }

    private static Case message(String name, String path, int status) {
        return new Case(name, HttpMethod.GET, path, List.of(), -1, false, status, Format.MESSAGE, null);
    }
}

package io.depproxy.contracts.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTemplateTest {
    private static final String IMAGE = "/v2/acme/dependency_proxy/containers/library/alpine";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    record Case(String name, String path, String route) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("manifest by tag", IMAGE + "/manifests/3.20", RouteTemplate.MANIFEST),
                new Case("manifest by digest", IMAGE + "/manifests/" + DIGEST, RouteTemplate.MANIFEST),
                new Case("blob", IMAGE + "/blobs/" + DIGEST, RouteTemplate.BLOB),
                new Case("image named like a route keeps its last component", "/v2/g/dependency_proxy/containers/"
                        + "blobs/manifests/latest", RouteTemplate.MANIFEST),
                new Case("upload authorize is internal", IMAGE + "/blobs/" + DIGEST + "/upload/authorize",
                        RouteTemplate.INTERNAL),
                new Case("upload finalize is internal", IMAGE + "/manifests/" + DIGEST + "/upload",
                        RouteTemplate.INTERNAL),
                new Case("version check", "/v2/", RouteTemplate.V2),
                new Case("version check without slash", "/v2", RouteTemplate.V2),
                new Case("unknown registry path", "/v2/acme/tags/list", RouteTemplate.V2),
                new Case("token", "/jwt/auth", RouteTemplate.TOKEN),
                new Case("admin api", "/api/v4/groups/12", RouteTemplate.API),
                new Case("health", "/-/health/ready", RouteTemplate.HEALTH),
                new Case("metrics", "/-/metrics", RouteTemplate.METRICS),
                new Case("jwks", "/-/jwks", RouteTemplate.INTERNAL),
                new Case("anything else", "/favicon.ico", RouteTemplate.OTHER),
                new Case("empty", "", RouteTemplate.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mapsPathsToAFixedSetOfRoutes(Case c) {
        assertThat(RouteTemplate.of(c.path())).isEqualTo(c.route());
    }
}

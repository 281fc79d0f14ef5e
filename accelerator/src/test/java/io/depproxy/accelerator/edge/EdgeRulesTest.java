package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decisions a test client cannot easily put on the wire (raw control characters) and the ones that must pass. */
class EdgeRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v2/acme\u0001/x/manifests/latest", "/v2/acme\t/x/manifests/latest",
            "/v2/acme\u007f/x/manifests/latest", "/v2/acme\u0000/x/manifests/latest", "/api/v4/groups/a\u0000b"})
    void refusesRawControlCharacters(String path) {
        assertThat(EdgeRules.decide(HttpMethod.GET, path)).isInstanceOfSatisfying(EdgeDecision.Refuse.class,
                refusal -> assertThat(refusal.status()).isEqualTo(400));
    }

    @Test
    void forwardsExactlyThePathItChecked() {
        String path = "/api/v4/groups/acme%2Fplatform/dependency_proxy/settings";

        assertThat(EdgeRules.decide(HttpMethod.PUT, path)).isEqualTo(new EdgeDecision.Forward(Surface.API, path));
    }

    @Test
    void answersItsOwnRoutesOnlyOnExactPaths() {
        assertThat(EdgeRules.decide(HttpMethod.GET, "/-/metrics")).isInstanceOf(EdgeDecision.Own.class);
        assertThat(EdgeRules.decide(HttpMethod.GET, "/-//metrics")).isInstanceOf(EdgeDecision.Refuse.class);
        assertThat(EdgeRules.decide(HttpMethod.GET, "*")).isInstanceOf(EdgeDecision.Refuse.class);
    }

    @Test
    void forwardsReferrersOnGroupAndMirrorPathsForPullsOnly() {
        String digest = "sha256:" + "a".repeat(64);
        for (String path : List.of("/v2/acme/dependency_proxy/containers/alpine/referrers/" + digest,
                "/v2/library/alpine/referrers/" + digest)) {
            assertThat(EdgeRules.decide(HttpMethod.GET, path)).isEqualTo(new EdgeDecision.Forward(Surface.REGISTRY, path));
            assertThat(EdgeRules.decide(HttpMethod.HEAD, path)).isEqualTo(new EdgeDecision.Forward(Surface.REGISTRY, path));
            assertThat(EdgeRules.decide(HttpMethod.PUT, path)).isInstanceOfSatisfying(EdgeDecision.Refuse.class,
                    refusal -> assertThat(refusal.status()).isEqualTo(405));
        }
    }

    @Test
    void aTagNamedUploadIsAPullButItsUploadRouteIsInternal() {
        String tag = "/v2/acme/dependency_proxy/containers/alpine/manifests/upload";

        assertThat(EdgeRules.decide(HttpMethod.GET, tag)).isInstanceOf(EdgeDecision.Forward.class);
        assertThat(EdgeRules.decide(HttpMethod.GET, tag + "/upload")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(404));
        assertThat(EdgeRules.decide(HttpMethod.HEAD, tag + "/upload/authorize")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(404));
    }

    @Test
    void forwardsTheAdminPageForGetAndPostOnPlainPathsOnly() {
        assertThat(EdgeRules.decide(HttpMethod.GET, "/admin"))
                .isEqualTo(new EdgeDecision.Forward(Surface.ADMIN_PAGE, "/admin"));
        assertThat(EdgeRules.decide(HttpMethod.POST, "/admin/groups/7/purge"))
                .isEqualTo(new EdgeDecision.Forward(Surface.ADMIN_PAGE, "/admin/groups/7/purge"));
        assertThat(EdgeRules.decide(HttpMethod.DELETE, "/admin/groups/7")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(405));
        assertThat(EdgeRules.decide(HttpMethod.GET, "/admin/../api/v4/users")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(400));
        assertThat(EdgeRules.decide(HttpMethod.GET, "/admin/%2e%2e/x")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(400));
        assertThat(EdgeRules.decide(HttpMethod.GET, "/administrator")).isInstanceOfSatisfying(
                EdgeDecision.Refuse.class, refusal -> assertThat(refusal.status()).isEqualTo(404));
    }
}

package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.coldBlobPath;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * With the decision cache on (as in production), the control plane lets the client's own GET of a blob take the
 * download its read-ahead was told to start, for as long as it reuses its own decisions, and says so only to a
 * signed read-ahead that was told to download.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(CacheHealingTest.DecisionCacheOn.class)
class ReadAheadReuseTest {
    @InjectFakeRegistry
    FakeRegistry upstream;

    @Test
    void aSignedReadAheadToldToDownloadMayBeTakenForTheDecisionCachesLifetime() {
        String blob = coldBlobPath(upstream, "reuse");

        Response ahead = signedReadAhead().get(blob);
        Response client = asRoot().get(blob);

        assertThat(ahead.statusCode()).isEqualTo(200);
        assertThat(SendDataCodec.decode(ahead.header(Headers.SEND_DATA))).isInstanceOf(SendDependency.class);
        assertThat(ahead.header(Headers.READ_AHEAD_REUSE)).isEqualTo("5000");
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.header(Headers.READ_AHEAD_REUSE)).as("a client's own answer is its own").isNull();
    }

    @Test
    void anUnsignedMarkAndARefusalAreNeverReusable() {
        String blob = coldBlobPath(upstream, "reuse");

        Response unsigned = asRoot().header(Headers.READ_AHEAD, "1").get(blob);
        Response anonymous = given().header(Headers.READ_AHEAD, "1")
                .header(Headers.API_REQUEST, internalJwt().apiRequestToken()).get(blob);

        assertThat(unsigned.header(Headers.SEND_DATA)).isNotNull();
        assertThat(unsigned.header(Headers.READ_AHEAD_REUSE)).isNull();
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.header(Headers.READ_AHEAD_REUSE)).isNull();
    }

    private static RequestSpecification signedReadAhead() {
        return asRoot().header(Headers.READ_AHEAD, "1").header(Headers.API_REQUEST, internalJwt().apiRequestToken());
    }
}

package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import org.junit.jupiter.api.Test;

class HealthRoutesTest extends AcceleratorTestBase {

    @Test
    void liveIsAlwaysUp() {
        ClientResponse response = get("/-/health/live");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(controlPlane.requests("/-/health/live")).isEmpty();
    }

    @Test
    void readyWhenTheControlPlaneIsLive() {
        ClientResponse response = get("/-/health/ready");

        assertThat(response.status()).isEqualTo(200);
        assertThat(controlPlane.requests("/-/health/live")).hasSize(1);
    }

    @Test
    void notReadyWhenTheControlPlaneIsDown() {
        AcceleratorConfig orphan = config.toBuilder().controlPlaneUrl(URI.create("http://127.0.0.1:1"))
                .spoolMaxBytes(1024).build();

        ClientResponse response = call(startAccelerator(orphan), HttpMethod.GET, "/-/health/ready");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).isEqualTo("{\"status\":\"DOWN\"}");
    }

    @Test
    void metricsCountResponsesPerInjection() {
        controlPlane.inject("/v2/g/dependency_proxy/containers/a/blobs/x",
                SendUrl.redirectTo("http://127.0.0.1:1/x?sig=1", HeaderMap.empty()));
        get("/v2/g/dependency_proxy/containers/a/blobs/x");
        get("/v2/g/dependency_proxy/containers/a/blobs/x");

        ClientResponse metrics = get("/-/metrics");

        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.bodyText())
                .contains("accel_senddata_responses_total{injection=\"send-url\"} 2")
                .contains("accel_senddata_responses_total{injection=\"send-dependency\"} 0")
                .contains("accel_upload_failures_total 0");
    }

    @Test
    void ownPathsAreNeverProxied() {
        ClientResponse response = get("/-/nothing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(controlPlane.requests("/-/nothing")).isEmpty();
    }
}

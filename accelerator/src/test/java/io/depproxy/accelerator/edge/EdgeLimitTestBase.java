package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.config.EdgeSettings;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.MetricsScrape;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;

/**
 * An accelerator with short edge limits, and the two ordinary requests that must keep answering beside a hostile
 * crowd: a plain forwarded GET and a cache hit (send-url from the fake object store), both through the control plane.
 */
abstract class EdgeLimitTestBase extends AcceleratorTestBase {
    /** What the issue holds an ordinary request to while the edge is under attack. */
    static final Duration ORDINARY_ANSWER = Duration.ofSeconds(2);

    final Buffer blob = randomBytes(64 * 1024 + 7, 18);
    final String blobDigest = digestOf(blob);

    /** Starts an accelerator with {@code settings} (the control plane answers the two ordinary requests) on a port. */
    int startWith(EdgeSettings settings) {
        return startWith(config, settings);
    }

    /** As {@link #startWith(EdgeSettings)}, from another configuration than the test's. */
    int startWith(AcceleratorConfig base, EdgeSettings settings) {
        controlPlane.answer("/v2/", request -> request.response().putHeader("Content-Type", "application/json")
                .end("{}"));
        store.put("dependency_proxy/1/blobs/sha256/edge", blob);
        controlPlane.inject(blobPath(blobDigest), SendUrl.proxy(store.url("dependency_proxy/1/blobs/sha256/edge",
                "X-Amz-Signature=get"), HeaderMap.single(Headers.DOCKER_CONTENT_DIGEST, blobDigest), blobDigest));
        int edge = startAccelerator(base.toBuilder().edge(settings).build());
        // once without a stopwatch: the first requests of a JVM load classes and compile, the timed ones must not
        assertThat(get(edge, "/v2/").status()).isEqualTo(200);
        assertThat(get(edge, blobPath(blobDigest)).body()).isEqualTo(blob);
        Await.await("the warm-up connections to be closed")
                .until(() -> shared.connections().openFrom("127.0.0.1") == 0);
        return edge;
    }

    private ClientResponse get(int acceleratorPort, String path) {
        return Await.result(send(acceleratorPort, HttpMethod.GET, path, null, "Connection", "close"));
    }

    static EdgeSettings settings(Duration header, Duration body, Duration idle, int perClient, int waiters) {
        return new EdgeSettings(header, body, idle, perClient, waiters);
    }

    /** One forwarded GET and one cache hit, each answered whole within {@link #ORDINARY_ANSWER}. */
    void ordinaryRequestsAnswer(int acceleratorPort) {
        // a new connection each time: a pooled one may be closed by the short keep-alive window as it is reused
        ClientResponse forwarded = Await.result(send(acceleratorPort, HttpMethod.GET, "/v2/", null,
                "Connection", "close"), ORDINARY_ANSWER);
        assertThat(forwarded.status()).isEqualTo(200);
        assertThat(forwarded.bodyText()).isEqualTo("{}");
        ClientResponse hit = Await.result(send(acceleratorPort, HttpMethod.GET, blobPath(blobDigest), null,
                "Connection", "close"), ORDINARY_ANSWER);
        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.body()).isEqualTo(blob);
    }

    /** {@code accel_edge_refusals_total} for {@code reason}, from the accelerator's own scrape. */
    double refusals(String reason) {
        return MetricsScrape.parse(shared.metrics().render())
                .value("accel_edge_refusals_total{reason=\"" + reason + "\"}");
    }
}

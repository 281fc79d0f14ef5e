package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.config.OutboundSettings;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream that answers a blob GET with a redirect to a place no upstream call may reach: another loopback port,
 * the control plane, the object store, the cloud metadata address. The client gets 502 UNAVAILABLE saying an
 * outbound destination was refused (never the target's bytes, never the address), the target sees no request, and
 * nothing is stored. With all of loopback allow-listed, the control plane and the object store stay refused.
 */
class OutboundRefusalTest extends AcceleratorTestBase {
    private static final Buffer SECRET = Buffer.buffer("secret bytes of an internal service");
    private static final String BLOB = "/v2/library/alpine/blobs/";

    private FakeUpstream internal;

    /** An accelerator that knows the object store's endpoint, with {@code allow} as DP_OUTBOUND_ALLOW. */
    private int acceleratorAllowing(String allow) {
        internal = FakeUpstream.start(vertx);
        internal.serve("/internal", FakeUpstream.blob(SECRET));
        OutboundSettings outbound = new OutboundSettings(AllowList.parse(allow),
                URI.create(store.url("", null)));
        // a long connect timeout: a refusal must come without any connection attempt, well before it
        AcceleratorConfig patient = config.toBuilder().upstreamConnectTimeout(Duration.ofSeconds(60))
                .hotCacheMaxBytes(0).outbound(outbound).build();
        return startAccelerator(patient);
    }

    private ClientResponse pullRedirectedTo(int accelerator, String location) {
        String digest = digestOf(SECRET);
        upstream.serve(BLOB + digest, FakeUpstream.redirect(location));
        controlPlane.inject(blobPath(digest), blobMiss(BLOB + digest, digest, "blob:1:" + digest));
        return call(accelerator, HttpMethod.GET, blobPath(digest));
    }

    private void assertRefusedAndNothingStored(ClientResponse response) {
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"")
                .contains(OutboundRefused.CLIENT_MESSAGE)
                .doesNotContain("127.0.0.1").doesNotContain("169.254").doesNotContain(SECRET.toString());
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(spoolIsEmpty()).isTrue();
        assertThat(shared.metrics().render()).contains("accel_upstream_requests_total{outcome=\"refused\",upstream=\"unknown\"} 1");
    }

    @Test
    void aRedirectToAnotherLoopbackPortIsRefusedAndThatPortSeesNothing() {
        int accelerator = acceleratorAllowing("");

        ClientResponse response = pullRedirectedTo(accelerator, internal.url("/internal"));

        assertRefusedAndNothingStored(response);
        assertThat(internal.requests("/internal")).isEmpty();
    }

    @ParameterizedTest(name = "DP_OUTBOUND_ALLOW=''{0}''")
    @ValueSource(strings = {"", "127.0.0.0/8"})
    void aRedirectToTheControlPlaneIsRefusedEvenWithLoopbackAllowed(String allow) {
        int accelerator = acceleratorAllowing(allow);

        ClientResponse response = pullRedirectedTo(accelerator, controlPlane.url() + "/-/metrics");

        assertRefusedAndNothingStored(response);
        assertThat(controlPlane.requests("/-/metrics")).isEmpty();
    }

    @ParameterizedTest(name = "DP_OUTBOUND_ALLOW=''{0}''")
    @ValueSource(strings = {"", "127.0.0.0/8"})
    void aRedirectToTheObjectStoreIsRefusedEvenWithLoopbackAllowed(String allow) {
        int accelerator = acceleratorAllowing(allow);
        store.put("cached/blob", SECRET);

        ClientResponse response = pullRedirectedTo(accelerator, store.url("cached/blob", null));

        assertRefusedAndNothingStored(response);
        assertThat(store.requests("GET")).isEmpty();
    }

    @ParameterizedTest(name = "DP_OUTBOUND_ALLOW=''{0}''")
    @ValueSource(strings = {"", "169.254.0.0/16"})
    void aRedirectToTheMetadataAddressIsRefusedWithoutConnecting(String allow) {
        int accelerator = acceleratorAllowing(allow);
        long start = System.nanoTime();

        ClientResponse response = pullRedirectedTo(accelerator,
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/");

        assertRefusedAndNothingStored(response);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAllowListedLoopbackPortIsReached() {
        int accelerator = acceleratorAllowing("127.0.0.0/8");

        ClientResponse response = pullRedirectedTo(accelerator, internal.url("/internal"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(SECRET);
        assertThat(internal.requests("/internal")).hasSize(1);
        assertThat(internal.requests("/internal").get(0).header("Authorization")).isNull();
    }
}

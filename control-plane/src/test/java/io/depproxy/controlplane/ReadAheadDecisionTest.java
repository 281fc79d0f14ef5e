package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.injection;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.FakeRegistry;
import io.depproxy.controlplane.support.InjectFakeRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The accelerator's blob read-ahead asks for a blob as the client would: the same decision, counted as
 * {@code read_ahead} and not as the group's miss; the mark is believed only next to a valid internal token.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ReadAheadDecisionTest {
    @InjectFakeRegistry
    FakeRegistry upstream;
    @Inject
    MeterRegistry registry;

    @Test
    void aSignedReadAheadIsDecidedAsTheClientsRequestButCountedApart() {
        String blob = coldBlobPath();
        double misses = decisions("miss");
        double readAheads = decisions("read_ahead");

        SendDependency ahead = (SendDependency) injection(asRoot().header(Headers.READ_AHEAD, "1")
                .header(Headers.API_REQUEST, internalJwt().apiRequestToken()).get(blob));
        SendDependency client = (SendDependency) injection(asRoot().get(blob));

        assertThat(ahead.coalesce()).isEqualTo(client.coalesce());
        assertThat(ahead.url()).isEqualTo(client.url());
        assertThat(decisions("read_ahead")).isEqualTo(readAheads + 1);
        assertThat(decisions("miss")).isEqualTo(misses + 1);
    }

    @Test
    void aReadAheadMarkWithoutAValidInternalTokenIsAnOrdinaryMiss() {
        String blob = coldBlobPath();
        double misses = decisions("miss");
        double readAheads = decisions("read_ahead");

        injection(asRoot().header(Headers.READ_AHEAD, "1").get(blob));
        injection(asRoot().header(Headers.READ_AHEAD, "1").header(Headers.API_REQUEST, "not-a-token").get(blob));

        assertThat(decisions("miss")).isEqualTo(misses + 2);
        assertThat(decisions("read_ahead")).isEqualTo(readAheads);
    }

    private String coldBlobPath() {
        String group = unique("ahead");
        createGroup(group, null);
        String image = unique("blob");
        String digest = upstream.putBlob("library/" + image, unique("bytes").getBytes(StandardCharsets.UTF_8));
        return path(group, image, "blobs", digest);
    }

    private double decisions(String result) {
        var counter = registry.find("dp_cache_decisions_total").tag("kind", "blob").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}

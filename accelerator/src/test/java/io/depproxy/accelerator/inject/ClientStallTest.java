package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.CapturedLog;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.ObservedDownload;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading is dropped after the client stall timeout; the download, the upload and the other
 * readers carry on, and the spool reservation goes once they are done, not when the stalled client leaves.
 */
class ClientStallTest extends AcceleratorTestBase {
    @Test
    void dropsAClientThatStopsReadingAndReleasesTheSpoolWithoutIt() {
        int accelerator = startAccelerator(withTimeouts(config.upstreamHeaderTimeout(), config.upstreamStallTimeout(),
                Duration.ofMillis(500)));
        // larger than what the loopback socket buffers hold, so the stalled client really holds the stream back
        Buffer bytes = randomBytes(32 * 1024 * 1024, 60);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));
        ObservedDownload stalled = new ObservedDownload(client, clientContext, accelerator, 64 * 1024);
        Future<Throwable> stalledOutcome = stalled.begin(blobPath(digest));
        Await.await("the client stopped reading").until(stalled::paused);

        ClientResponse reader = Await.result(send(accelerator, HttpMethod.GET, blobPath(digest), null));

        assertThat(reader.body()).isEqualTo(bytes);
        Await.await("finalized").until(() -> controlPlane.finalizeCalls().size() == 1);
        Await.await("spool released while the stalled client is still connected").until(this::spoolIsEmpty);
        assertThat(stalled.paused()).isTrue();
        stalled.resume();
        assertThat(Await.result(stalledOutcome, Duration.ofSeconds(5))).isNotNull();
        assertThat(stalled.received()).isLessThan(bytes.length());
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        assertThat(store.object("tmp/uploads/tmp-1")).isEqualTo(bytes);
    }

    @Test
    void dropsAPassThroughClientThatStopsReading() {
        int noRoom = startAccelerator(withTimeouts(config.upstreamHeaderTimeout(), config.upstreamStallTimeout(),
                Duration.ofMillis(500)).toBuilder().spoolMaxBytes(1024 * 1024).build());
        Buffer bytes = randomBytes(32 * 1024 * 1024, 61);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));
        ObservedDownload stalled = new ObservedDownload(client, clientContext, noRoom, 64 * 1024);
        try (CapturedLog log = CapturedLog.start()) {
            Future<Throwable> outcome = stalled.begin(blobPath(digest));
            Await.await("the client stopped reading").until(stalled::paused);

            // the drop is the behaviour: its timeout runs on the real clock, the test waits for the drop itself
            Await.await("the stalled client dropped").until(() -> log.contains("client took no bytes for 500 ms"));
            stalled.resume();

            assertThat(Await.result(outcome, Duration.ofSeconds(5))).isNotNull();
        }
        assertThat(stalled.received()).isLessThan(bytes.length());
    }
}

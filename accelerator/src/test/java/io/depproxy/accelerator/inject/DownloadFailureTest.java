package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.ObservedDownload;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * An upstream that breaks off mid-download: whenever it happens (before the client's head went out, after it, while
 * the client is not reading), the client gets an error status or its stream is reset within seconds, and nothing is
 * stored or kept.
 */
class DownloadFailureTest extends AcceleratorTestBase {
    /** Well below the client's idle timeout: a client that only fails by timing out has hung. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private static final String TEMP_KEY = "tmp/uploads/tmp-1";

    @RepeatedTest(20)
    void resetsTheClientWhenTheUpstreamDropsTheConnectionAfterAFewBytes() {
        Buffer promised = randomBytes(4096, 30);
        String digest = digestOf(promised);
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, promised.slice(0, 1000), 4096, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        ObservedDownload download = new ObservedDownload(client, clientContext, port, Long.MAX_VALUE);
        Throwable failure = download.start(blobPath(digest));

        assertFailedAtTheClient(download, failure);
        assertStoredNothing();
    }

    @RepeatedTest(20)
    void resetsTheClientWhenTheUpstreamDropsTheConnectionBeforeAnyByte() {
        String digest = digestOf(randomBytes(4096, 31));
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, Buffer.buffer(), 4096, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        ObservedDownload download = new ObservedDownload(client, clientContext, port, Long.MAX_VALUE);
        Throwable failure = download.start(blobPath(digest));

        assertFailedAtTheClient(download, failure);
        assertStoredNothing();
    }

    @Test
    void resetsTheClientWhenTheUpstreamDropsTheConnectionAfterTheClientGotItsHeadAndNoByte() {
        String digest = digestOf(randomBytes(4096, 32));
        ObservedDownload download = new ObservedDownload(client, clientContext, port, Long.MAX_VALUE);
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, Buffer.buffer("x"), 4096, download::gotHead));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        Throwable failure = download.start(blobPath(digest));

        assertThat(download.status()).isEqualTo(200);
        assertThat(download.received()).isZero();
        assertThat(failure).isNotNull();
        assertStoredNothing();
    }

    @Test
    void resetsAClientThatIsNotReadingWhenTheDownloadFails() {
        int announced = 64 * 1024 * 1024;
        Buffer sent = randomBytes(32 * 1024 * 1024, 33);
        String digest = digestOf(randomBytes(16, 34));
        ObservedDownload download = new ObservedDownload(client, clientContext, port, 64 * 1024);
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, sent, announced, download::paused));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));
        Future<Throwable> outcome = download.begin(blobPath(digest));
        Await.await("the client paused").until(download::paused);

        Await.await("spool released while the client is still paused")
                .until(() -> shared.spool().usedBytes() == 0 && spoolDir.toFile().list().length == 0);
        download.resume();

        assertThat(Await.result(outcome, FEW_SECONDS)).isNotNull();
        assertThat(download.received()).isLessThan(sent.length());
        assertStoredNothing();
    }

    /**
     * Either an error status (the download had failed before this client's head went out) or a broken body; never
     * a complete 200.
     */
    private static void assertFailedAtTheClient(ObservedDownload download, Throwable failure) {
        assertThat(download.status() != 200 || failure != null).as("status %d, body broken: %s", download.status(),
                failure != null).isTrue();
    }

    /** A failed download never reaches object storage: nothing authorized, uploaded or finalized. */
    private void assertStoredNothing() {
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("the fetch and any store it began over")
                .until(() -> spoolIsEmpty() && shared.work().uploads() == 0);
        assertThat(counted("accel_uploads_finalized_total")).isZero();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(store.object(TEMP_KEY)).isNull();
        assertThat(upstream.gets("/blob")).isEqualTo(1);
    }
}

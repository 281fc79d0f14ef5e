package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.CapturedLog;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.depproxy.contracts.upload.RemoteObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Object storage failing during a miss: the client is served in full from the spool all the same, nothing is
 * finalized, and the spool entry is released within the object-store bounds (the upstream header timeout of the
 * test configuration, 2 s, for each call that hangs).
 */
class StoreFaultTest extends AcceleratorTestBase {
    private static final Duration BOUND = Duration.ofSeconds(15);

    @Test
    void servesTheClientAndRecordsNothingWhenObjectStorageHangs() {
        NetServer hanging = Await.result(vertx.createNetServer().connectHandler(socket -> socket.pause())
                .listen(0, "127.0.0.1"));
        storeAt("http://127.0.0.1:" + hanging.actualPort());

        assertServedButNotRecorded();
    }

    @Test
    void servesTheClientAndRecordsNothingWhenObjectStorageIsDead() {
        NetServer closed = Await.result(vertx.createNetServer().connectHandler(socket -> socket.close())
                .listen(0, "127.0.0.1"));
        int deadPort = closed.actualPort();
        Await.result(closed.close());
        storeAt("http://127.0.0.1:" + deadPort);

        assertServedButNotRecorded();
    }

    @Test
    void storesTheDownloadWhenTheObjectStoreDropsTheConnectionOfAPut() {
        store.dropNextPutConnections(2);
        Buffer bytes = randomBytes(3 * 1024 * 1024, 51);
        String digest = aMiss(bytes);

        try (CapturedLog log = CapturedLog.start()) {
            ClientResponse response = get(blobPath(digest));

            assertThat(response.body()).isEqualTo(bytes);
            Await.await("finalize").until(() -> controlPlane.finalizeCalls().size() == 1);
            // a connection lost and replaced is said once, not as an error with a stack trace
            assertThat(log.contains("\"level\":\"ERROR\"")).isFalse();
            assertThat(log.contains("object store PUT sent again on another connection")).isTrue();
        }
        assertThat(store.requests("PUT")).hasSize(3);
        assertThat(store.object("tmp/uploads/tmp-1")).isEqualTo(bytes);
        assertThat(shared.metrics().uploadFailures()).isZero();
        assertThat(controlPlane.withdrawCalls()).isEmpty();
    }

    @Test
    void givesUpAfterThreeLostConnections() {
        store.dropNextPutConnections(3);
        Buffer bytes = randomBytes(1024 * 1024, 52);
        String digest = aMiss(bytes);

        ClientResponse response = get(blobPath(digest));

        assertThat(response.body()).isEqualTo(bytes);
        Await.await("the upload failed").until(() -> shared.metrics().uploadFailures() == 1);
        assertThat(store.requests("PUT")).hasSize(3);
        assertThat(store.object("tmp/uploads/tmp-1")).isNull();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        Await.await("the authorize withdrawn").until(() -> controlPlane.withdrawCalls().size() == 1);
    }

    /** The upstream serves {@code bytes} and the control plane answers their blob with a miss: their digest. */
    private String aMiss(Buffer bytes) {
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));
        return digest;
    }

    private void storeAt(String base) {
        controlPlane.authorizeWith(request -> new AuthorizeResponse(new RemoteObject("tmp-1",
                base + "/bucket/tmp-1?get", base + "/bucket/tmp-1?put", base + "/bucket/tmp-1?delete", 14400, null),
                AuthorizeResponse.MAX_BLOB_SIZE));
    }

    private void assertServedButNotRecorded() {
        Buffer bytes = randomBytes(4 * 1024 * 1024, 50);
        String digest = digestOf(bytes);
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));
        long start = System.nanoTime();

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completed()).isTrue();
        assertThat(response.body()).isEqualTo(bytes);
        Await.await("the upload failed").until(() -> shared.metrics().uploadFailures() == 1);
        Await.await("spool released").until(this::spoolIsEmpty);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        // the store gave up: its lease is handed back at once, so the next miss stores the blob
        Await.await("the authorize withdrawn").until(() -> controlPlane.withdrawCalls().size() == 1);
        assertThat(controlPlane.withdrawCalls().get(0).uri()).endsWith("/upload/authorize?remote_id=tmp-1");
    }
}

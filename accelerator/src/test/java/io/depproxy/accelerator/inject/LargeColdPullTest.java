package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A blob large enough that the client, the uploader and the spool writer all run at full speed for a while: every
 * byte reaches the client and the store, every time. (A reader that lost its last chunks passed the small tests.)
 */
class LargeColdPullTest extends AcceleratorTestBase {
    private static final Buffer BYTES = randomBytes(96 * 1024 * 1024, 77);
    private static final String DIGEST = digestOf(BYTES);

    @RepeatedTest(3)
    void everyByteReachesTheClientAndTheStore() {
        upstream.serve("/blob", FakeUpstream.blob(BYTES));
        controlPlane.inject(blobPath(DIGEST), blobMiss("/blob", DIGEST, null));

        ClientResponse response = get(blobPath(DIGEST));

        assertThat(response.body().length()).isEqualTo(BYTES.length());
        assertThat(digestOf(response.body())).isEqualTo(DIGEST);
        Await.await("finalized").until(() -> controlPlane.finalizeCalls().size() == 1);
        assertThat(digestOf(store.object("tmp/uploads/tmp-1"))).isEqualTo(DIGEST);
    }
}

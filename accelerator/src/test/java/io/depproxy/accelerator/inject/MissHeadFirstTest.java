package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A miss answers its head as soon as the upstream answered its own: nothing that need not come first (the spool
 * file's creation, a body byte on disk, the reader's file) stands between the two. Asserted by the order of events:
 * the upstream holds its body back until the client has its head; the client still gets every byte, exactly.
 */
class MissHeadFirstTest extends AcceleratorTestBase {
    /** How long the upstream holds its body back: the client's head, when it comes first, comes long before. */
    private static final long HOLD_BODY_MS = 3000;

    @Test
    void answersTheHeadOfAMissBeforeTheUpstreamSentAnyBodyByte() {
        Buffer blob = randomBytes(3 * 1024 * 1024 + 17, 91);
        String digest = digestOf(blob);
        AtomicBoolean clientHasHead = new AtomicBoolean();
        AtomicBoolean upstreamGaveUpWaiting = new AtomicBoolean();
        upstream.serve("/blob", FakeUpstream.headThenBody(vertx, blob, clientHasHead::get, HOLD_BODY_MS,
                upstreamGaveUpWaiting));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(blobPath(digest)).setIdleTimeout(20_000);
        Buffer body = Await.result(onClientContext(() -> client.request(options).compose(request -> request.send())
                .compose(response -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    clientHasHead.set(true);
                    return response.body();
                })));

        assertThat(upstreamGaveUpWaiting).as("the client's head waited for the upstream's body").isFalse();
        assertThat(hexOf(body)).isEqualTo(hexOf(blob));
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
    }

    @Test
    void aClientJoiningBeforeAnyBodyByteGetsItsHeadAndEveryByteToo() {
        Buffer blob = randomBytes(2 * 1024 * 1024 + 5, 92);
        String digest = digestOf(blob);
        AtomicBoolean bothHaveHeads = new AtomicBoolean();
        AtomicBoolean upstreamGaveUpWaiting = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger heads = new java.util.concurrent.atomic.AtomicInteger();
        upstream.serve("/blob", FakeUpstream.headThenBody(vertx, blob, bothHaveHeads::get, HOLD_BODY_MS,
                upstreamGaveUpWaiting));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(blobPath(digest)).setIdleTimeout(20_000);
        Future<Buffer> first = onClientContext(() -> client.request(options).compose(request -> request.send())
                .compose(response -> {
                    bothHaveHeads.set(heads.incrementAndGet() == 2);
                    return response.body();
                }));
        Future<Buffer> second = onClientContext(() -> client.request(options).compose(request -> request.send())
                .compose(response -> {
                    bothHaveHeads.set(heads.incrementAndGet() == 2);
                    return response.body();
                }));

        assertThat(hexOf(Await.result(first))).isEqualTo(hexOf(blob));
        assertThat(hexOf(Await.result(second))).isEqualTo(hexOf(blob));
        assertThat(upstreamGaveUpWaiting).as("a head waited for the upstream's body").isFalse();
        assertThat(upstream.gets("/blob")).isEqualTo(1);
    }
}

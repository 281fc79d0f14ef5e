package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.MetricsScrape;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The control plane's {@code MaximumSize} holds while the bytes arrive, not after: a chunked body that grows past it
 * is stopped there (the spool never holds more, nothing is stored, the upstream's connection is closed), and an
 * announced length past it is refused before a byte is read.
 */
class DownloadCapTest extends AcceleratorTestBase {
    private static final long CAP = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /** Where an upstream that is never stopped gives up on its own, so a broken cap fails the test, not the run. */
    private static final long ENDLESS = 64L * 1024 * 1024;

    private final AtomicLong sent = new AtomicLong();
    private final Promise<Void> upstreamClosed = Promise.promise();

    @Test
    void aChunkedBodyPastTheCapIsStoppedWhileItStreams() {
        String digest = digestOf(randomBytes(16, 50));
        upstream.serve("/blob", endlessChunkedBody());
        controlPlane.inject(blobPath(digest), capped(blobMiss("/blob", digest, "blob:1:2:app@" + digest)));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        Await.result(upstreamClosed.future());
        assertThat(sent.get()).as("the upstream was stopped long before its end").isLessThan(ENDLESS);
        assertStoredNothing();
        assertThat(spooledBytes()).as("what the spool took").isLessThanOrEqualTo(CAP + CHUNK);
    }

    @Test
    void anAnnouncedLengthPastTheCapIsRefusedBeforeTheBodyIsRead() {
        String digest = digestOf(randomBytes(16, 51));
        upstream.serve("/blob", request -> {
            request.connection().closeHandler(v -> upstreamClosed.tryComplete());
            request.response().putHeader("Content-Type", "application/octet-stream")
                    .putHeader("Content-Length", Long.toString(10 * CAP)).writeHead();
        });
        controlPlane.inject(blobPath(digest), capped(blobMiss("/blob", digest, null)));

        ClientResponse response = get(blobPath(digest));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyText()).contains("\"code\":\"SIZE_INVALID\"").contains("size limit");
        Await.result(upstreamClosed.future());
        assertThat(spooledBytes()).isZero();
        assertStoredNothing();
    }

    @Test
    void aPassThroughPastTheCapIsStoppedToo() {
        int fullSpool = startAccelerator(config.toBuilder().spoolMaxBytes(0).build());
        String digest = digestOf(randomBytes(16, 52));
        upstream.serve("/blob", endlessChunkedBody());
        controlPlane.inject(blobPath(digest), capped(blobMiss("/blob", digest, null)));

        ClientResponse response = call(fullSpool, HttpMethod.GET, blobPath(digest));

        assertThat(response.completeOk()).isFalse();
        Await.result(upstreamClosed.future());
        assertThat(sent.get()).isLessThan(ENDLESS);
        assertThat(MetricsScrape.parse(shared.metrics().render()).value("accel_spool_passthrough_total")).isEqualTo(1);
    }

    private static SendDependency capped(SendDependency dependency) {
        return new SendDependency(dependency.url(), dependency.headers(), dependency.responseHeaders(),
                dependency.uploadConfig(), dependency.digest(), dependency.coalesce(), CAP);
    }

    /** 64 KiB chunks for as long as the connection stays open (up to {@link #ENDLESS}), as fast as it takes them. */
    private Handler<HttpServerRequest> endlessChunkedBody() {
        Buffer chunk = randomBytes(CHUNK, 53);
        return request -> {
            request.connection().closeHandler(v -> upstreamClosed.tryComplete());
            HttpServerResponse response = request.response().putHeader("Content-Type", "application/octet-stream")
                    .setChunked(true);
            writeUntilFull(response, chunk);
        };
    }

    private void writeUntilFull(HttpServerResponse response, Buffer chunk) {
        while (!response.closed() && !response.writeQueueFull() && sent.get() < ENDLESS) {
            response.write(chunk);
            sent.addAndGet(chunk.length());
        }
        if (!response.closed() && sent.get() < ENDLESS) {
            response.drainHandler(v -> writeUntilFull(response, chunk));
        }
    }

    private long spooledBytes() {
        return (long) MetricsScrape.parse(shared.metrics().render()).value("accel_bytes_fetched_upstream_total");
    }

    private void assertStoredNothing() {
        Await.await("the fetch and any store it began over")
                .until(() -> spoolIsEmpty() && shared.work().uploads() == 0);
        assertThat(counted("accel_uploads_finalized_total")).isZero();
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
    }
}

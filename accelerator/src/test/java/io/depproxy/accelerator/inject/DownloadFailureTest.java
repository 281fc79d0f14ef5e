package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * An upstream that breaks off mid-download: whenever it happens (before the client's head went out, after it, while
 * the client is not reading), the client's stream is reset within seconds, and nothing is stored or kept.
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

        Throwable failure = new Download(Long.MAX_VALUE).start(blobPath(digest));

        assertThat(failure).isNotNull();
        assertStoredNothing();
    }

    @RepeatedTest(20)
    void resetsTheClientWhenTheUpstreamDropsTheConnectionBeforeAnyByte() {
        String digest = digestOf(randomBytes(4096, 31));
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, Buffer.buffer(), 4096, () -> true));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));

        Throwable failure = new Download(Long.MAX_VALUE).start(blobPath(digest));

        assertThat(failure).isNotNull();
        assertStoredNothing();
    }

    @Test
    void resetsTheClientWhenTheUpstreamDropsTheConnectionAfterTheClientGotItsHeadAndNoByte() {
        String digest = digestOf(randomBytes(4096, 32));
        Download download = new Download(Long.MAX_VALUE);
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
        Download download = new Download(64 * 1024);
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, sent, announced, download::paused));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, "blob:1:" + digest));
        Future<Throwable> outcome = download.begin(blobPath(digest));
        Await.until("the client paused", download::paused);

        Await.until("spool released while the client is still paused",
                () -> shared.spool().usedBytes() == 0 && spoolDir.toFile().list().length == 0);
        download.resume();

        assertThat(Await.result(outcome, FEW_SECONDS)).isNotNull();
        assertThat(download.received()).isLessThan(sent.length());
        assertStoredNothing();
    }

    /** A failed download never reaches object storage: nothing authorized, uploaded or finalized. */
    private void assertStoredNothing() {
        assertThat(upstream.gets("/blob")).isEqualTo(1);
        Await.until("spool cleaned up", () -> shared.spool().usedBytes() == 0 && spoolDir.toFile().list().length == 0);
        Await.quietPeriod(200);
        assertThat(controlPlane.authorizeCalls()).isEmpty();
        assertThat(store.requests("PUT")).isEmpty();
        assertThat(controlPlane.finalizeCalls()).isEmpty();
        assertThat(store.object(TEMP_KEY)).isNull();
        assertThat(upstream.gets("/blob")).isEqualTo(1);
    }

    /** A client that records its head, counts the body, and stops reading after {@code pauseAfter} bytes. */
    private final class Download {
        private final long pauseAfter;
        private final AtomicLong received = new AtomicLong();
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile int status;
        private volatile HttpClientResponse response;

        Download(long pauseAfter) {
            this.pauseAfter = pauseAfter;
        }

        /** Runs the download and answers how the body failed (null when it completed), within a few seconds. */
        Throwable start(String path) {
            return Await.result(begin(path), FEW_SECONDS);
        }

        Future<Throwable> begin(String path) {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                    .setURI(path).setIdleTimeout(20_000);
            Promise<Throwable> outcome = Promise.promise();
            onClientContext(() -> client.request(options).compose(request -> request.send()).map(answer -> {
                response = answer;
                status = answer.statusCode();
                answer.exceptionHandler(outcome::tryComplete);
                answer.endHandler(v -> outcome.tryComplete(null));
                answer.handler(this::onChunk);
                return answer;
            })).onFailure(outcome::tryComplete);
            return outcome.future();
        }

        private void onChunk(Buffer chunk) {
            if (received.addAndGet(chunk.length()) >= pauseAfter && !paused.get()) {
                response.pause();
                paused.set(true);
            }
        }

        void resume() {
            clientContext.runOnContext(v -> response.resume());
        }

        boolean gotHead() {
            return status != 0;
        }

        boolean paused() {
            return paused.get();
        }

        int status() {
            return status;
        }

        long received() {
            return received.get();
        }
    }
}

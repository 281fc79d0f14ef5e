package io.depproxy.accelerator.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.stream.spool.Spool;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.stream.spool.SpoolReader;
import io.depproxy.accelerator.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreYieldTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Context context;
    private Spool spool;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        spool = new Spool(dir, 1L << 20, vertx.fileSystem());
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void aVerifiedDownloadIsStoredOnceTheSpoolHasBeenQuietBriefly() {
        SpoolEntry entry = spool.tryCreate(10);
        entry.markVerified("00");
        long ended = System.nanoTime();

        Await.result(onContext(() -> StoreYield.untilServingIsQuiet(context, entry)));
        assertThat(System.nanoTime() - ended).isGreaterThanOrEqualTo(StoreYield.QUIET.toNanos());
        assertThat(StoreYield.untilServingIsQuiet(context, entry).isComplete()).as("quiet by now").isTrue();
    }

    @Test
    void theNextLayerArrivingJustAfterDefersTheStoreUntilItHasArrived() {
        // skopeo's pattern: one layer ends, the next layer's GET starts a few milliseconds later
        SpoolEntry previous = spool.tryCreate(10);
        previous.markVerified("00");
        Future<Void> quiet = onContext(() -> StoreYield.untilServingIsQuiet(context, previous));
        SpoolEntry next = spool.tryCreate(10);

        Await.result(aTwinStoreQuietAfterIt());
        assertThat(quiet.isComplete()).as("the next layer is still arriving").isFalse();

        next.markVerified("11");
        long ended = System.nanoTime();
        Await.result(quiet);
        assertThat(System.nanoTime() - ended).isGreaterThanOrEqualTo(StoreYield.QUIET.toNanos());
    }

    @Test
    void aVerifiedDownloadWaitsForTheDownloadsStillArrivingVerifiedOrFailed() {
        SpoolEntry stored = spool.tryCreate(10);
        SpoolEntry arriving = spool.tryCreate(10);
        SpoolEntry failing = spool.tryCreate(-1);
        stored.markVerified("00");
        Future<Void> quiet = onContext(() -> StoreYield.untilServingIsQuiet(context, stored));

        arriving.markVerified("11");
        Await.result(aTwinStoreQuietAfterIt());
        assertThat(quiet.isComplete()).as("one still arriving").isFalse();

        failing.fail(new IllegalStateException("upstream reset"));
        Await.result(quiet);
        assertThat(spool.downloadsInProgress()).isZero();
        failing.fail(new IllegalStateException("again"));
        arriving.fail(new IllegalStateException("aborted after it was verified"));
        assertThat(spool.downloadsInProgress()).as("each download ends once").isZero();
    }

    @Test
    void aVerifiedDownloadWaitsWhileAClientStillReadsADownloadOfTheSpool() {
        // the read-ahead's pattern: every download ended, the client still reads the last layers from the spool
        SpoolEntry stored = spool.tryCreate(10);
        SpoolEntry read = spool.tryCreate(10);
        stored.markVerified("00");
        read.markVerified("11");
        SpoolReader reader = Await.result(onContext(() -> SpoolReader.openForClient(vertx, read, 0, 10)));
        Future<Void> quiet = onContext(() -> StoreYield.untilServingIsQuiet(context, stored));

        Await.result(aTwinStoreQuietAfterIt());
        assertThat(quiet.isComplete()).as("a client is still reading").isFalse();

        Await.result(onContext(() -> {
            reader.close();
            return Future.succeededFuture();
        }));
        long done = System.nanoTime();
        Await.result(quiet);
        assertThat(System.nanoTime() - done).isGreaterThanOrEqualTo(StoreYield.QUIET.toNanos());
        assertThat(spool.clientsReading()).isZero();
    }

    /**
     * The event that shows a waiting store had its chance to go: a twin, a download verified now in a spool of its
     * own with nothing else arriving, whose store starts waiting now on the same event loop, is let go. The waits
     * check on one event loop, every wait at the same pace, so by then each wait started earlier has checked too,
     * at least {@link StoreYield#QUIET} after the last download in its spool ended.
     */
    private Future<Void> aTwinStoreQuietAfterIt() {
        Spool twinSpool = new Spool(dir.resolve("twin"), 1L << 20, vertx.fileSystem());
        SpoolEntry twin = twinSpool.tryCreate(10);
        return onContext(() -> {
            twin.markVerified("22");
            return StoreYield.untilServingIsQuiet(context, twin);
        });
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }
}

package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;

/**
 * Storing yields to serving: a verified download waits to be stored while other downloads are still arriving, so
 * its upload does not take CPU and the network card from the clients pulling them (on 2 cores, a 5-layer image
 * pulled cold took three times as long while the first layers were being stored). It also waits until no download
 * has ended for {@link #QUIET}: clients such as skopeo fetch an image's layers one after the other, and the next
 * layer's GET arrives a few milliseconds after the previous one ended; storing each layer at once made every
 * following miss compete with the previous layer's store (the control plane's authorize and finalize, the object
 * store's writes): over a 1 Gbit/s link a 10 × 3 MiB image pulled cold took about 90 ms a layer instead of 45.
 * Likewise it waits while clients are still reading downloads of the spool, and for {@link #QUIET} after the last
 * stopped: the blob read-ahead ends an image's downloads well before a client such as skopeo has read them all, one
 * layer after the other; storing them then took the CPU from its last layers (on 2 cores, the control plane's and
 * the object store's share of eleven stores ran inside a 10-layer pull).
 * It waits at most {@link #MAX_WAIT}: a busy accelerator still stores everything, a little later.
 */
final class StoreYield {
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofMillis(150);
    private static final long POLL_MILLIS = 50;

    private StoreYield() {
    }

    /**
     * Completes on {@code context} once no download of the entry's spool is arriving and no client reading one, and
     * neither has ended for {@link #QUIET}, or after the bound.
     */
    static Future<Void> untilServingIsQuiet(Context context, SpoolEntry entry) {
        if (quiet(entry)) {
            return Future.succeededFuture();
        }
        Promise<Void> quiet = Promise.promise();
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        context.owner().setPeriodic(POLL_MILLIS, POLL_MILLIS, id -> {
            if (quiet(entry) || System.nanoTime() >= deadline) {
                context.owner().cancelTimer(id);
                quiet.tryComplete();
            }
        });
        return quiet.future();
    }

    private static boolean quiet(SpoolEntry entry) {
        long now = System.nanoTime();
        return entry.downloadsInProgress() == 0 && entry.clientsReading() == 0
                && now - entry.lastDownloadEndedNanos() >= QUIET.toNanos()
                && now - entry.lastClientDoneNanos() >= QUIET.toNanos();
    }
}

package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;

/**
 * Storing yields to serving: a verified download waits to be stored while other downloads are still arriving, so
 * its upload does not take CPU and the network card from the clients pulling them (on 2 cores, a 5-layer image
 * pulled cold took three times as long while the first layers were being stored). It waits at most {@link #MAX_WAIT}:
 * a busy accelerator still stores everything, a little later.
 */
final class StoreYield {
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    private StoreYield() {
    }

    /** Completes on {@code context} once no other download of the entry's spool is arriving, or after the bound. */
    static Future<Void> untilOtherDownloadsEnd(Context context, SpoolEntry entry) {
        if (entry.downloadsInProgress() == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> quiet = Promise.promise();
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        context.owner().setPeriodic(POLL_MILLIS, POLL_MILLIS, id -> {
            if (entry.downloadsInProgress() == 0 || System.nanoTime() >= deadline) {
                context.owner().cancelTimer(id);
                quiet.tryComplete();
            }
        });
        return quiet.future();
    }
}

package io.depproxy.accelerator.stream;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Fires once when a transfer's byte count has not moved for a whole {@code limit} while the other side was the one
 * holding it up ({@code waitingOnPeer}): time spent waiting for our own side (an empty spool, a full disk queue) is
 * not a stall. It checks four times per limit, so it fires between {@code limit} and {@code 1.25 × limit}. Start it
 * on the context that owns the transfer; {@code onStall} runs there.
 */
public final class StallWatchdog {
    private final Vertx vertx;
    private final long limitNanos;
    private final LongSupplier position;
    private final BooleanSupplier waitingOnPeer;
    private final Runnable onStall;
    private final long timer;
    private long lastPosition;
    private long lastMove;
    private boolean fired;

    private StallWatchdog(Vertx vertx, Duration limit, LongSupplier position, BooleanSupplier waitingOnPeer,
                          Runnable onStall) {
        this.vertx = vertx;
        this.limitNanos = limit.toNanos();
        this.position = position;
        this.waitingOnPeer = waitingOnPeer;
        this.onStall = onStall;
        this.lastPosition = position.getAsLong();
        this.lastMove = System.nanoTime();
        this.timer = vertx.setPeriodic(Math.max(1, limit.toMillis() / 4), id -> check());
    }

    public static StallWatchdog start(Vertx vertx, Duration limit, LongSupplier position, BooleanSupplier waitingOnPeer,
                                      Runnable onStall) {
        return new StallWatchdog(vertx, limit, position, waitingOnPeer, onStall);
    }

    /** The transfer is over (either way); safe to call more than once. */
    public void cancel() {
        vertx.cancelTimer(timer);
    }

    /** Whether it fired: the transfer was stalled by the other side (what failed it then is the reset). */
    public boolean fired() {
        return fired;
    }

    private void check() {
        long now = System.nanoTime();
        long current = position.getAsLong();
        if (current != lastPosition || !waitingOnPeer.getAsBoolean()) {
            lastPosition = current;
            lastMove = now;
        } else if (now - lastMove >= limitNanos) {
            cancel();
            fired = true;
            onStall.run();
        }
    }
}

package io.depproxy.accelerator.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Blocking waits for the test thread (never an event loop), always bounded. */
public final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Await() {
    }

    public static <T> T result(Future<T> future) {
        return result(future, LIMIT);
    }

    public static <T> T result(Future<T> future, Duration limit) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            pause(20);
        }
    }

    /** Lets asynchronous work that must NOT happen have its chance to happen. */
    public static void quietPeriod(long millis) {
        pause(millis);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

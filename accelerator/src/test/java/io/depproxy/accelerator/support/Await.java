package io.depproxy.accelerator.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Blocking waits for the test thread (never an event loop), always bounded. Waiting for a condition is Awaitility's
 * job; this class only gives the accelerator's tests one default for it (checked at once, then every 20 ms, for at
 * most 30 s: a loaded machine is slow, a hung test still ends). A test that asserts that something did NOT happen
 * first waits here for an event proving the system had its chance to do it, never for a fixed time.
 */
public final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Awaitility's {@code await(what)} with the tests' poll interval and bound. */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(LIMIT).pollDelay(Duration.ZERO).pollInterval(POLL);
    }

    /**
     * Runs {@code action} on {@code context} (Vert.x objects a test made there must be used there: a spool writer, a
     * reader) and waits for the future it returns: its result, or an AssertionError when it failed or timed out.
     */
    public static <T> T onContext(Context context, Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return result(promise.future());
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
}

package io.depproxy.accelerator.inject;

import io.depproxy.contracts.senddata.SendDependency;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane's send-dependency answers to the blob read-ahead, kept for the client they were asked for: its
 * own GET of the same path and query with the same {@code Authorization} joins the download on that decision instead
 * of asking the control plane again (skopeo and most registry libraries ask for layers one after the other, and each
 * decision is a round trip in the pull's critical path). Each answer is used once and only within the time the
 * control plane allowed ({@code Gitlab-Workhorse-Read-Ahead-Reuse-Ms}, its own decision-cache bound); one replica-wide
 * instance, bounded in size (when full, answers are not kept and clients ask as before).
 */
public final class ReadAheadDecisions {
    static final int MAX_DECISIONS = 16_384;
    /** How many answers are kept between two sweeps of those expired unused (the client had the layer already). */
    private static final long SWEEP_EVERY = 256;
    /**
     * While the store is full of unexpired answers, a sweep at most this often: it would find nothing to remove on
     * every call in between, and each is a scan of the whole store in a client's request.
     */
    private static final long FULL_SWEEP_INTERVAL_NANOS = Duration.ofMillis(250).toNanos();

    private record Request(String authorization, String pathAndQuery) {
        /** No {@code Authorization} and an empty one are the same request to the control plane (anonymous). */
        static Request of(String authorization, String pathAndQuery) {
            return new Request(authorization == null ? "" : authorization, pathAndQuery);
        }
    }

    private record Decision(SendDependency dependency, long deadlineNanos) {
        boolean expired(long now) {
            return now - deadlineNanos >= 0;
        }
    }

    private final Map<Request, Decision> decisions = new ConcurrentHashMap<>();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime());

    /**
     * Keeps the answer to the read-ahead's GET of {@code pathAndQuery} with {@code authorization} (null: none) for
     * {@code reusableFor}; zero or less keeps nothing.
     */
    public void remember(String authorization, String pathAndQuery, SendDependency dependency, Duration reusableFor) {
        if (reusableFor.isZero() || reusableFor.isNegative()) {
            return;
        }
        long now = System.nanoTime();
        if (kept.incrementAndGet() % SWEEP_EVERY == 0 || decisions.size() >= MAX_DECISIONS && sweepDue(now)) {
            lastSweepNanos.set(now);
            decisions.values().removeIf(decision -> decision.expired(now));
        }
        if (decisions.size() < MAX_DECISIONS) {
            decisions.put(Request.of(authorization, pathAndQuery), new Decision(dependency, now + reusableFor.toNanos()));
        }
    }

    /** The answer kept for exactly this request, once: empty when there is none, or it expired. */
    public Optional<SendDependency> take(String authorization, String pathAndQuery) {
        Decision decision = decisions.remove(Request.of(authorization, pathAndQuery));
        return decision == null || decision.expired(System.nanoTime()) ? Optional.empty()
                : Optional.of(decision.dependency());
    }

    private boolean sweepDue(long now) {
        long last = lastSweepNanos.get();
        return now - last >= FULL_SWEEP_INTERVAL_NANOS && lastSweepNanos.compareAndSet(last, now);
    }

    int size() {
        return decisions.size();
    }
}

package io.depproxy.accelerator.edge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of forwarded request bodies held in memory at once, across the process. Bodies are read whole before the
 * control plane is asked (see {@link RequestBodyReader}), so without a bound many clients each sending most of the
 * largest body allowed and then stalling would fill the heap; past this budget a body that needs more room is
 * refused with 503 instead. Only bytes that arrived count: a client that announces a large body and trickles it holds
 * next to nothing. Token forms and admin JSON are a few hundred bytes to a few KiB: the budget is never near in
 * normal use.
 */
public final class BodyBudget {
    /**
     * What the whole process may hold: 32 of the largest bodies, a quarter of the accelerator's default heap. To keep
     * it full a client must send this much again every {@code DP_REQUEST_BODY_TIMEOUT}.
     */
    public static final long DEFAULT_CAPACITY = 32 * EdgeLimits.MAX_FORWARDED_BODY_BYTES;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Bytes reserved right now. */
    public long used() {
        return used.get();
    }

    /** A reservation that grows as a body arrives and is given back once. */
    public Reservation reservation() {
        return new Reservation();
    }

    /** Not thread-safe: one request's bytes, used on that request's event loop. */
    public final class Reservation {
        private long held;
        private boolean released;

        /** Adds {@code bytes} to what this body holds; false (nothing added) when the budget has no room for them. */
        public boolean grow(long bytes) {
            if (released) {
                return false;
            }
            long current;
            do {
                current = used.get();
                if (current + bytes > capacity) {
                    return false;
                }
            } while (!used.compareAndSet(current, current + bytes));
            held += bytes;
            return true;
        }

        /** Gives everything back; later calls do nothing. */
        public void release() {
            if (!released) {
                released = true;
                used.addAndGet(-held);
                held = 0;
            }
        }
    }
}

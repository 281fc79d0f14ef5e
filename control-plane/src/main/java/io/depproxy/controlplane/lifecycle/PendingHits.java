package io.depproxy.controlplane.lifecycle;

/**
 * The reads this replica has counted but not yet written (cache/'s {@code HitRecorder} coalesces them): the TTL
 * policy writes them before it looks for records nobody read, so a record read a moment ago is not expired. An
 * interface here because the cache uses the lifecycle (purges, deletion workers), not the reverse.
 */
public interface PendingHits {

    /** Writes what this replica has coalesced. */
    void flush();
}

package io.depproxy.accelerator.hot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which verified files the hot tier holds, in least-recently-served order, and the disk they and the fills in
 * progress take. Room for a fill is reserved before its first byte is written, evicting the least recently served
 * files, so the directory never holds more than {@code maxBytes} however many fills run at once. Thread-safe.
 */
final class HotIndex {
    private final long maxBytes;
    private final LinkedHashMap<String, HotFile> files = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Long> reservations = new HashMap<>();
    private long storedBytes;
    private long reservedBytes;

    HotIndex(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** What a reservation asks to be evicted (deleting the files is the caller's work), or why it was refused. */
    record Reservation(boolean granted, List<HotFile> evicted) {
        static final Reservation REFUSED = new Reservation(false, List.of());
    }

    synchronized Optional<HotFile> get(String digest) {
        return Optional.ofNullable(files.get(digest));
    }

    synchronized boolean holdsOrFills(String digest) {
        return files.containsKey(digest) || reservations.containsKey(digest);
    }

    /** Room for {@code bytes} under {@code digest}; refused when it is already held or filling, or can never fit. */
    synchronized Reservation reserve(String digest, long bytes) {
        if (bytes < 0 || bytes > maxBytes || holdsOrFills(digest)) {
            return Reservation.REFUSED;
        }
        List<HotFile> evicted = evictUntilRoomFor(bytes);
        if (storedBytes + reservedBytes + bytes > maxBytes) {
            return new Reservation(false, evicted);
        }
        reservations.put(digest, bytes);
        reservedBytes += bytes;
        return new Reservation(true, evicted);
    }

    /** A fill gave up: its room is free again. */
    synchronized void cancel(String digest) {
        Long bytes = reservations.remove(digest);
        if (bytes != null) {
            reservedBytes -= bytes;
        }
    }

    /** A reserved fill is on disk and verified: it becomes servable (the most recently used). */
    synchronized void commit(HotFile file) {
        cancel(file.digest());
        put(file);
    }

    /**
     * A file verified at start-up, added without a reservation (unless its digest is already held or filling);
     * returns the files that no longer fit, least recently used first: this one, when nothing else can go.
     */
    synchronized List<HotFile> admit(HotFile file) {
        if (files.containsKey(file.digest()) || reservations.containsKey(file.digest())) {
            return List.of();
        }
        put(file);
        return evictUntilRoomFor(0);
    }

    /** Forgets {@code file} if it is still the one held under its digest (a file that failed a check). */
    synchronized boolean remove(HotFile file) {
        HotFile held = files.get(file.digest());
        if (held == null || !held.equals(file)) {
            return false;
        }
        files.remove(file.digest());
        storedBytes -= file.size();
        return true;
    }

    synchronized long usedBytes() {
        return storedBytes + reservedBytes;
    }

    synchronized int fileCount() {
        return files.size();
    }

    long maxBytes() {
        return maxBytes;
    }

    private void put(HotFile file) {
        HotFile previous = files.put(file.digest(), file);
        storedBytes += file.size() - (previous == null ? 0 : previous.size());
    }

    private List<HotFile> evictUntilRoomFor(long bytes) {
        List<HotFile> evicted = new ArrayList<>();
        Iterator<HotFile> oldestFirst = files.values().iterator();
        while (storedBytes + reservedBytes + bytes > maxBytes && oldestFirst.hasNext()) {
            HotFile victim = oldestFirst.next();
            oldestFirst.remove();
            storedBytes -= victim.size();
            evicted.add(victim);
        }
        return evicted;
    }
}

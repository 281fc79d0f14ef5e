package io.depproxy.controlplane.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A map whose entries live at most {@code ttl} (and never past the deadline an entry is given), holding at most
 * {@code maxEntries}: when full, expired entries are dropped, then everything. Only positive answers are meant to be
 * kept, so a miss always goes to the source of truth. A zero {@code ttl} keeps nothing.
 */
public final class ShortLivedCache<K, V> {
    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    public ShortLivedCache(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The live value of {@code key}, or {@code load}'s (kept when present); a failing load keeps nothing. */
    public Optional<V> get(K key, Function<K, Optional<V>> load) {
        Optional<V> cached = get(key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<V> loaded = load.apply(key);
        loaded.ifPresent(value -> put(key, value));
        return loaded;
    }

    public Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAtNanos() - System.nanoTime() <= 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    public void put(K key, V value) {
        put(key, value, Long.MAX_VALUE);
    }

    /** Keeps {@code value} for the ttl, or until {@code deadlineNanos} ({@link System#nanoTime()}) if sooner. */
    public void put(K key, V value, long deadlineNanos) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        long expires = now + ttlNanos;
        if (deadlineNanos - expires < 0) {
            expires = deadlineNanos;
        }
        if (expires - now <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> entry.expiresAtNanos() - now <= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, expires));
    }

    public void remove(K key) {
        entries.remove(key);
    }

    public void removeIf(Predicate<K> condition) {
        entries.keySet().removeIf(condition);
    }

    /** Removes every entry whose value meets {@code condition}, live or expired. */
    public void removeIfValue(Predicate<V> condition) {
        entries.values().removeIf(entry -> condition.test(entry.value()));
    }
}

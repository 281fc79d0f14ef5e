package io.depproxy.controlplane.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A map whose entries live at most {@code ttl} (and never past the deadline an entry is given), holding at most
 * {@code maxEntries}: when full, expired entries are dropped, then everything. Only positive answers are meant to be
 * kept, so a miss always goes to the source of truth. A zero {@code ttl} keeps nothing. Time is read from a ticker
 * ({@link System#nanoTime()} unless one is given), so a test moves it instead of waiting.
 */
public final class ShortLivedCache<K, V> {
    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier ticker;

    public ShortLivedCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    /** @param ticker nanoseconds, as {@link System#nanoTime()} counts them (only differences matter) */
    public ShortLivedCache(Duration ttl, int maxEntries, LongSupplier ticker) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.ticker = ticker;
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
        if (entry.expiresAtNanos() - ticker.getAsLong() <= 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    public void put(K key, V value) {
        keep(key, value, ttlNanos);
    }

    /** Keeps {@code value} for the ttl, or for {@code atMost} if that is shorter. */
    public void put(K key, V value, Duration atMost) {
        keep(key, value, Math.min(ttlNanos, Math.max(0, atMost.toNanos())));
    }

    private void keep(K key, V value, long lifetime) {
        if (lifetime <= 0) {
            return;
        }
        long now = ticker.getAsLong();
        long expires = now + lifetime;
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

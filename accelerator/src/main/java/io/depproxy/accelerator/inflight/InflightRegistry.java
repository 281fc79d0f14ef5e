package io.depproxy.accelerator.inflight;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Work in progress by key, so that concurrent identical requests share one piece of work. An entry stays until its
 * completion future completes (success or failure), then it is removed; every joiner holds the same value and so
 * sees the same outcome. One instance per process, passed to whoever needs it.
 */
public final class InflightRegistry<K, V> {
    /** The value for a key and whether this caller created it (and so must start it). */
    public record Joined<V>(V value, boolean leader) {
    }

    private record Waiter<K, V>(Predicate<K> key, Promise<Optional<V>> found) {
    }

    private final ConcurrentMap<K, V> entries = new ConcurrentHashMap<>();
    private final List<Waiter<K, V>> waiters = new CopyOnWriteArrayList<>();
    private final Function<V, Future<?>> completionOf;

    public InflightRegistry(Function<V, Future<?>> completionOf) {
        this.completionOf = completionOf;
    }

    public Joined<V> join(K key, Supplier<V> create) {
        boolean[] created = {false};
        V value = entries.computeIfAbsent(key, k -> {
            created[0] = true;
            return create.get();
        });
        if (created[0]) {
            completionOf.apply(value).onComplete(ar -> entries.remove(key, value));
            for (Waiter<K, V> waiter : waiters) {
                if (waiter.key().test(key)) {
                    waiter.found().tryComplete(Optional.of(value));
                }
            }
        }
        return new Joined<>(value, created[0]);
    }

    /** The value of exactly {@code key}, if one is in progress. */
    public Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** A value whose key matches {@code key}, if one is in progress (a linear scan: the registry stays small). */
    public Optional<V> find(Predicate<K> key) {
        return entries.entrySet().stream().filter(entry -> key.test(entry.getKey())).map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * The value whose key matches {@code key}: at once when one is in progress, else as soon as one is created, on the
     * thread that creates it; empty once {@code patience} completes first. Never fails.
     */
    public Future<Optional<V>> await(Predicate<K> key, Future<?> patience) {
        Promise<Optional<V>> found = Promise.promise();
        Waiter<K, V> waiter = new Waiter<>(key, found);
        waiters.add(waiter);
        // after the waiter is in place: a value created meanwhile is found here or completes the waiter
        find(key).ifPresent(value -> found.tryComplete(Optional.of(value)));
        patience.onComplete(ar -> found.tryComplete(Optional.empty()));
        return found.future().andThen(ar -> waiters.remove(waiter));
    }

    /** The keys in progress right now. */
    public List<K> keys() {
        return List.copyOf(entries.keySet());
    }

    public int size() {
        return entries.size();
    }
}

package io.depproxy.accelerator.inflight;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
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

    private final ConcurrentMap<K, V> entries = new ConcurrentHashMap<>();
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
        }
        return new Joined<>(value, created[0]);
    }

    /** A value whose key matches {@code key}, if one is in progress (a linear scan: the registry stays small). */
    public java.util.Optional<V> find(java.util.function.Predicate<K> key) {
        return entries.entrySet().stream().filter(entry -> key.test(entry.getKey())).map(java.util.Map.Entry::getValue)
                .findFirst();
    }

    /** The keys in progress right now. */
    public java.util.List<K> keys() {
        return java.util.List.copyOf(entries.keySet());
    }

    public int size() {
        return entries.size();
    }
}

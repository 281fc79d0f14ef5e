package io.depproxy.controlplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cache on a ticker the test moves: expiry is checked at the nanosecond, without waiting for it. */
class ShortLivedCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000);

    private <K, V> ShortLivedCache<K, V> cache(Duration ttl, int maxEntries) {
        return new ShortLivedCache<>(ttl, maxEntries, nanos::get);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void anEntryIsReusedUntilItsTtlAndThenLoadedAgain() {
        ShortLivedCache<String, Integer> cache = cache(Duration.ofSeconds(30), 10);
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(1);
        advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(1);
        advance(Duration.ofNanos(1));
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(2);
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(2);
    }

    @Test
    void anAbsentAnswerIsNeverKept() {
        ShortLivedCache<String, Integer> cache = cache(Duration.ofMinutes(1), 10);
        assertThat(cache.get("k", k -> Optional.empty())).isEmpty();
        assertThat(cache.get("k", k -> Optional.of(7))).contains(7);
    }

    @Test
    void anEntryNeverOutlivesItsOwnLifetime() {
        ShortLivedCache<String, Integer> cache = cache(Duration.ofMinutes(1), 10);
        cache.put("k", 1, Duration.ofSeconds(5));
        cache.put("long", 2, Duration.ofHours(1));
        cache.put("past", 3, Duration.ofSeconds(-1));
        assertThat(cache.get("past")).isEmpty();
        advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(cache.get("k")).contains(1);
        advance(Duration.ofNanos(1));
        assertThat(cache.get("k")).isEmpty();
        assertThat(cache.get("long")).as("never past the ttl either").contains(2);
        advance(Duration.ofSeconds(55));
        assertThat(cache.get("long")).isEmpty();
    }

    @Test
    void aZeroTtlKeepsNothingAndTheSizeIsBounded() {
        ShortLivedCache<Integer, Integer> off = cache(Duration.ZERO, 10);
        off.put(1, 1);
        assertThat(off.get(1)).isEmpty();

        ShortLivedCache<Integer, Integer> small = cache(Duration.ofMinutes(1), 3);
        for (int i = 0; i < 10; i++) {
            small.put(i, i);
        }
        assertThat(IntStream.range(0, 10).filter(i -> small.get(i).isPresent()).count()).isLessThanOrEqualTo(3);
    }

    @Test
    void aFullCacheDropsItsExpiredEntriesFirst() {
        ShortLivedCache<String, Integer> cache = cache(Duration.ofMinutes(1), 3);
        cache.put("old", 1, Duration.ofSeconds(1));
        cache.put("older", 2, Duration.ofSeconds(1));
        cache.put("live", 3);
        advance(Duration.ofSeconds(2));
        cache.put("new", 4);
        assertThat(cache.get("live")).contains(3);
        assertThat(cache.get("new")).contains(4);
    }
}

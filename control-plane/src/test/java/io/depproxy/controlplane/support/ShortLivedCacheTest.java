package io.depproxy.controlplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShortLivedCacheTest {

    @Test
    void anEntryIsReusedUntilItsTtlAndThenLoadedAgain() throws InterruptedException {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMillis(200), 10);
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(1);
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(1);
        Thread.sleep(250);
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(2);
    }

    @Test
    void anAbsentAnswerIsNeverKept() {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMinutes(1), 10);
        assertThat(cache.get("k", k -> Optional.empty())).isEmpty();
        assertThat(cache.get("k", k -> Optional.of(7))).contains(7);
    }

    @Test
    void anEntryNeverOutlivesItsOwnDeadline() {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMinutes(1), 10);
        cache.put("k", 1, System.nanoTime() - 1);
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void aZeroTtlKeepsNothingAndTheSizeIsBounded() {
        ShortLivedCache<Integer, Integer> off = new ShortLivedCache<>(Duration.ZERO, 10);
        off.put(1, 1);
        assertThat(off.get(1)).isEmpty();

        ShortLivedCache<Integer, Integer> small = new ShortLivedCache<>(Duration.ofMinutes(1), 3);
        for (int i = 0; i < 10; i++) {
            small.put(i, i);
        }
        assertThat(java.util.stream.IntStream.range(0, 10).filter(i -> small.get(i).isPresent()).count())
                .isLessThanOrEqualTo(3);
    }
}

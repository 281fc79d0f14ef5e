package io.depproxy.accelerator.hot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotIndexTest {

    @Test
    void evictsTheLeastRecentlyUsedToMakeRoom() {
        HotIndex index = new HotIndex(100);
        commit(index, "a", 40);
        commit(index, "b", 40);
        index.get("a");

        HotIndex.Reservation reservation = index.reserve("c", 40);

        assertThat(reservation.granted()).isTrue();
        assertThat(reservation.evicted()).extracting(HotFile::digest).containsExactly("b");
        assertThat(index.usedBytes()).isEqualTo(80);
    }

    @Test
    void refusesWhatIsHeldFillingOrTooBig() {
        HotIndex index = new HotIndex(100);
        commit(index, "a", 10);
        assertThat(index.reserve("b", 10).granted()).isTrue();

        assertThat(index.reserve("a", 10).granted()).isFalse();
        assertThat(index.reserve("b", 10).granted()).isFalse();
        assertThat(index.reserve("c", 101).granted()).isFalse();
        index.cancel("b");
        assertThat(index.usedBytes()).isEqualTo(10);
    }

    @Test
    void concurrentFillsNeverReserveMoreThanTheLimit() throws InterruptedException {
        HotIndex index = new HotIndex(1000);
        AtomicLong peak = new AtomicLong();
        ConcurrentLinkedQueue<String> granted = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 2000; i++) {
            String digest = "d" + i;
            pool.execute(() -> {
                if (index.reserve(digest, 90).granted()) {
                    peak.accumulateAndGet(index.usedBytes(), Math::max);
                    if (digest.hashCode() % 3 == 0) {
                        index.cancel(digest);
                    } else {
                        index.commit(new HotFile(digest, Path.of(digest), 90, 0));
                    }
                    granted.add(digest);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(granted).isNotEmpty();
        assertThat(peak.get()).isLessThanOrEqualTo(1000);
        assertThat(index.usedBytes()).isLessThanOrEqualTo(1000);
    }

    @Test
    void admitsRecoveredFilesUntilFull() {
        HotIndex index = new HotIndex(100);
        List<HotFile> dropped = new ArrayList<>();
        for (String digest : List.of("old", "mid", "new")) {
            dropped.addAll(index.admit(new HotFile(digest, Path.of(digest), 40, 0)));
        }

        assertThat(dropped).extracting(HotFile::digest).containsExactly("old");
        assertThat(index.get("new")).isPresent();
    }

    private static void commit(HotIndex index, String digest, long size) {
        assertThat(index.reserve(digest, size).granted()).isTrue();
        index.commit(new HotFile(digest, Path.of(digest), size, 0));
    }
}

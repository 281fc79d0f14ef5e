package io.depproxy.accelerator.inflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InflightRegistryTest {
    private final InflightRegistry<String, Promise<Void>> registry = new InflightRegistry<>(Promise::future);

    @Test
    void joinersShareTheLeadersValueUntilItCompletes() {
        AtomicInteger created = new AtomicInteger();
        InflightRegistry.Joined<Promise<Void>> leader = registry.join("k", () -> counted(created));
        InflightRegistry.Joined<Promise<Void>> follower = registry.join("k", () -> counted(created));

        assertThat(leader.leader()).isTrue();
        assertThat(follower.leader()).isFalse();
        assertThat(follower.value()).isSameAs(leader.value());
        assertThat(created).hasValue(1);
    }

    @Test
    void aCompletedEntryIsRemovedSoTheNextCallerLeads() {
        Promise<Void> first = registry.join("k", Promise::promise).value();
        first.fail("upstream down");

        InflightRegistry.Joined<Promise<Void>> next = registry.join("k", Promise::promise);

        assertThat(next.leader()).isTrue();
        assertThat(next.value()).isNotSameAs(first);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void keysAreIndependent() {
        assertThat(registry.join("a", Promise::promise).leader()).isTrue();
        assertThat(registry.join("b", Promise::promise).leader()).isTrue();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void aWaiterGetsTheValueTheMomentItsKeyStartsOrNothingOnceItsPatienceEnds() {
        Promise<Void> patience = Promise.promise();
        Future<Optional<Promise<Void>>> later = registry.await("k"::equals, patience.future());
        Future<Optional<Promise<Void>>> never = registry.await("other"::equals, patience.future());
        assertThat(later.isComplete()).as("nothing started yet").isFalse();

        Promise<Void> started = registry.join("k", Promise::promise).value();

        assertThat(later.result()).containsSame(started);
        assertThat(registry.await("k"::equals, Promise.<Void>promise().future()).result())
                .as("already in progress").containsSame(started);
        assertThat(never.isComplete()).isFalse();
        patience.complete();
        assertThat(never.result()).isEmpty();
    }

    private static Promise<Void> counted(AtomicInteger created) {
        created.incrementAndGet();
        return Promise.promise();
    }
}

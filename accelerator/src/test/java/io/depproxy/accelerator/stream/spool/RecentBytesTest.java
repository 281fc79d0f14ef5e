package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentBytesTest {
    private final AtomicLong budget = new AtomicLong(100);
    private final RecentBytes recent = new RecentBytes(budget, 60);

    @Test
    void servesTheNewestBytesByOffsetWithoutCopyingAndKeepsWithinItsOwnBound() {
        recent.append(0, List.of(text("abcdefghij"), text("klmnopqrst")), 20);
        recent.append(20, List.of(text("u".repeat(30))), 30);
        recent.append(50, List.of(text("v".repeat(20))), 20);

        assertThat(recent.slice(0, 5)).as("dropped: 70 bytes held would exceed 60").isNull();
        assertThat(recent.slice(12, 12)).as("across chunks").isEqualTo(text("mnopqrstuuuu"));
        assertThat(recent.slice(12, 100)).as("to the newest byte").isEqualTo(text("mnopqrst" + "u".repeat(30)
                + "v".repeat(20)));
        assertThat(recent.slice(25, 3)).isEqualTo(text("uuu"));
        assertThat(recent.slice(69, 10)).isEqualTo(text("v"));
        assertThat(recent.slice(70, 10)).as("not written yet").isNull();
        assertThat(budget.get()).isEqualTo(100 - 60);
    }

    @Test
    void holdsNothingWhenTheSharedBudgetIsSpentAndResumesAtTheNextBatch() {
        budget.set(25);
        recent.append(0, List.of(text("a".repeat(20))), 20);
        recent.append(20, List.of(text("b".repeat(10))), 10);

        assertThat(recent.slice(0, 5)).as("dropped with the batch that did not fit").isNull();
        assertThat(recent.slice(20, 5)).as("the batch that did not fit").isNull();
        assertThat(budget.get()).isEqualTo(25);

        recent.append(30, List.of(text("c".repeat(10))), 10);
        assertThat(recent.slice(30, 5)).isEqualTo(text("ccccc"));
        recent.clear();
        assertThat(recent.slice(30, 5)).isNull();
        assertThat(budget.get()).as("all given back").isEqualTo(25);
    }

    private static Buffer text(String s) {
        return Buffer.buffer(s);
    }
}

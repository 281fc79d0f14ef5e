package io.depproxy.contracts.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadAheadOutcomeTest {
    @Test
    void everyOutcomeSurvivesItsHeader() {
        for (ReadAheadOutcome outcome : ReadAheadOutcome.values()) {
            assertThat(ReadAheadOutcome.parse(outcome.headerValue())).isEqualTo(outcome);
        }
    }

    @Test
    void theWireValuesAreFixed() {
        assertThat(ReadAheadOutcome.AHEAD_OF_CLIENTS.headerValue()).isEqualTo("1");
        assertThat(ReadAheadOutcome.JOINED_ON_DECISION.headerValue()).isEqualTo("joined");
        assertThat(ReadAheadOutcome.ASKED.headerValue()).isNull();
    }

    @Test
    void anAbsentOrUnknownValueIsAnOrdinaryFinalize() {
        assertThat(ReadAheadOutcome.parse(null)).isEqualTo(ReadAheadOutcome.ASKED);
        assertThat(ReadAheadOutcome.parse("")).isEqualTo(ReadAheadOutcome.ASKED);
        assertThat(ReadAheadOutcome.parse("JOINED")).isEqualTo(ReadAheadOutcome.ASKED);
        assertThat(ReadAheadOutcome.parse("yes")).isEqualTo(ReadAheadOutcome.ASKED);
    }
}

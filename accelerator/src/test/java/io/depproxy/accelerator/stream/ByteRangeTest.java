package io.depproxy.accelerator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    private static final long SIZE = 1000;

    @Test
    void readsTheFormsOfASingleRange() {
        assertThat(ByteRange.of("bytes=0-99", SIZE)).isEqualTo(new ByteRange.Part(0, 99));
        assertThat(ByteRange.of("bytes=900-", SIZE)).isEqualTo(new ByteRange.Part(900, 999));
        assertThat(ByteRange.of("bytes=-100", SIZE)).isEqualTo(new ByteRange.Part(900, 999));
        assertThat(ByteRange.of("bytes=-5000", SIZE)).isEqualTo(new ByteRange.Part(0, 999));
        assertThat(ByteRange.of("bytes=990-5000", SIZE)).isEqualTo(new ByteRange.Part(990, 999));
        assertThat(((ByteRange.Part) ByteRange.of("bytes=10-19", SIZE)).contentRange(SIZE)).isEqualTo("bytes 10-19/1000");
    }

    @Test
    void answersWhatCannotBeSatisfied() {
        assertThat(ByteRange.of("bytes=1000-", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.of("bytes=-0", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void servesTheWholeObjectForEverythingElse() {
        assertThat(ByteRange.of(null, SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=0-1,5-9", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("items=0-1", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=9-1", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=-", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=99999999999999999999-", SIZE)).isInstanceOf(ByteRange.Whole.class);
    }
}

package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Order and validation of hybrid logical clock timestamps. */
class HlcTimestampTest {

    @Test
    void wallTimeDecidesBeforeTheCounter() {
        assertThat(new HlcTimestamp(1_000, 99)).isLessThan(new HlcTimestamp(1_001, 0));
        assertThat(new HlcTimestamp(1_001, 0)).isGreaterThan(new HlcTimestamp(1_000, Integer.MAX_VALUE));
    }

    @Test
    void theCounterOrdersTimestampsOfTheSameMillisecond() {
        assertThat(new HlcTimestamp(1_000, 1)).isLessThan(new HlcTimestamp(1_000, 2));
        assertThat(new HlcTimestamp(1_000, 0)).isLessThan(new HlcTimestamp(1_000, 1));
    }

    @Test
    void equalTimestampsCompareAsEqual() {
        assertThat(new HlcTimestamp(1_000, 3)).isEqualByComparingTo(new HlcTimestamp(1_000, 3)).isEqualTo(new HlcTimestamp(1_000, 3));
    }

    @Test
    void aShuffledListSortsByWallThenCounter() {
        List<HlcTimestamp> sorted = new ArrayList<>();
        for (long wall : new long[] {0, 5, 1_700_000_000_000L, Long.MAX_VALUE}) {
            for (int counter : new int[] {0, 1, 2, Integer.MAX_VALUE}) sorted.add(new HlcTimestamp(wall, counter));
        }
        List<HlcTimestamp> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(42));
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(sorted);
    }

    @Test
    void negativeWallOrCounterIsRejected() {
        assertThatThrownBy(() -> new HlcTimestamp(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wallMillis: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new HlcTimestamp(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counter: -1 (expected: >= 0)");
    }

    @Test
    void theWallPartIsAnInstant() {
        HlcTimestamp t = new HlcTimestamp(Instant.parse("2030-01-01T00:00:00.123Z").toEpochMilli(), 7);
        assertThat(t.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
        assertThat(t).hasToString("2030-01-01T00:00:00.123Z+7");
    }
}

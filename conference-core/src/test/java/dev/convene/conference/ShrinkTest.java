package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The model test's shrinker finds the few steps that make a run fail, within its bounds. */
class ShrinkTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
    private final List<Integer> hundred = IntStream.range(0, 100).boxed().toList();

    @Test
    void aFailureThatNeedsTwoStepsInOrderShrinksToThoseTwo() {
        // Fails when 17 comes before 63 (both present), as a removal needs the invitation before it.
        Shrink.Result<Integer> r = Shrink.ddmin(hundred, l -> l.contains(17) && l.contains(63) && l.indexOf(17) < l.indexOf(63),
                500, Duration.ofMinutes(1), FIXED);
        assertThat(r.shortest()).containsExactly(17, 63);
        assertThat(r.exhausted()).isFalse();
        assertThat(r.tries()).isLessThan(100);
    }

    @Test
    void aFailureOfOneStepShrinksToIt() {
        assertThat(Shrink.ddmin(hundred, l -> l.contains(42), 500, Duration.ofMinutes(1), FIXED).shortest()).containsExactly(42);
    }

    @Test
    void theTriesAreBoundedAndTheShortestFoundSoFarIsReturned() {
        AtomicInteger runs = new AtomicInteger();
        Shrink.Result<Integer> r = Shrink.ddmin(hundred, l -> {
            runs.incrementAndGet();
            return l.contains(3) && l.contains(97);
        }, 5, Duration.ofMinutes(1), FIXED);
        assertThat(runs.get()).isEqualTo(5);
        assertThat(r.tries()).isEqualTo(5);
        assertThat(r.exhausted()).isTrue();
        assertThat(r.shortest()).contains(3, 97);
    }

    @Test
    void theTimeBudgetStopsIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
        Shrink.Result<Integer> r = Shrink.ddmin(hundred, l -> {
            clock.advance(Duration.ofSeconds(10));
            return l.contains(3) && l.contains(97);
        }, 500, Duration.ofSeconds(30), clock);
        assertThat(r.tries()).isEqualTo(3);
        assertThat(r.exhausted()).isTrue();
    }
}

package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The full profile measures throughput in three alternated rounds and reports the medians; the others once. */
class ThroughputRoundsTest {
    private static ThroughputBench.Side side(double rate, double cpu, String failure) {
        ThroughputBench.Side s = new ThroughputBench.Side();
        s.rate = rate;
        s.cpuMicrosPerMessage = cpu;
        s.failure = failure;
        s.drops = 1;
        return s;
    }

    @Test
    void theMediansOfTheRoundsTheRestFromTheFirst() {
        ThroughputBench.Side first = side(1124, 76.5, "");
        first.catchUpMillis = 180;
        first.heapPerPeer = 13;
        first.childRssPeak = 136;
        ThroughputBench.Side m = ThroughputBench.Side.median(List.of(first, side(6303, 70.8, ""), side(4690, 71.0, "")));
        assertThat(m.rate).isEqualTo(4690);
        assertThat(m.cpuMicrosPerMessage).isEqualTo(71.0);
        assertThat(m.catchUpMillis).isEqualTo(180);
        assertThat(m.heapPerPeer).isEqualTo(13);
        assertThat(m.childRssPeak).isEqualTo(136);
        assertThat(m.drops).isEqualTo(3);
        assertThat(m.failure).isEmpty();
    }

    @Test
    void aRoundThatFailedIsLeftOutAndAllFailedIsAFailure() {
        ThroughputBench.Side first = side(4000, 60, "");
        first.catchUpMillis = 200;
        ThroughputBench.Side m = ThroughputBench.Side.median(List.of(first, side(Double.NaN, Double.NaN, "the child died"), side(5000, 70, "")));
        assertThat(m.rate).isEqualTo(4500);
        assertThat(m.cpuMicrosPerMessage).isEqualTo(65);
        assertThat(m.failure).isEmpty();
        ThroughputBench.Side none = ThroughputBench.Side.median(List.of(side(Double.NaN, Double.NaN, "a"), side(Double.NaN, Double.NaN, "b")));
        assertThat(none.rate).isNaN();
        assertThat(none.failure).isEqualTo("a; b");
    }

    @Test
    void onlyTheFullProfileRepeats() {
        assertThat(Profile.FULL.throughputRounds()).isEqualTo(3);
        assertThat(Profile.QUICK.throughputRounds()).isEqualTo(1);
        assertThat(Profile.TINY.throughputRounds()).isEqualTo(1);
    }
}

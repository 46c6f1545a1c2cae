package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 13's targets: bounds on the ratio against raw, alone or with a bound on Convene's own number. */
class TargetTest {
    @Test
    void aRatioTargetIsJudgedOnConveneOverRaw() {
        Target p50 = Target.atMostTimesRaw(4);
        assertThat(new Figure("latency.p50.3", "p50", "ms", 0.8, 0.2, p50, "").met()).isTrue();
        assertThat(new Figure("latency.p50.3", "p50", "ms", 0.81, 0.2, p50, "").met()).isFalse();
        // An absolute number far below any old target does not meet a ratio target it misses.
        assertThat(new Figure("latency.p50.3", "p50", "ms", 0.5, 0.05, p50, "").met()).isFalse();
        assertThat(new Figure("latency.p50.3", "p50", "ms", 0.5, Double.NaN, p50, "").met()).isFalse();
        assertThat(p50.describe("ms")).isEqualTo("<= 4.00x raw");
    }

    @Test
    void bothBoundsMustHold() {
        Target t = Target.atLeast(5000).andTimesRaw(0.1);
        assertThat(new Figure("throughput", "t", "msg/s", 6000, 50_000, t, "").met()).isTrue();
        assertThat(new Figure("throughput", "t", "msg/s", 6000, 70_000, t, "").met()).as("under 10 % of raw").isFalse();
        assertThat(new Figure("throughput", "t", "msg/s", 4000, 20_000, t, "").met()).as("under 5000 msg/s").isFalse();
        assertThat(t.describe("msg/s")).isEqualTo(">= 5000 msg/s, >= 0.100x raw");
        Target dir = Target.atMost(5000).andTimesRaw(3);
        assertThat(dir.metBy(4000, 1500)).isTrue();
        assertThat(dir.metBy(4000, 1000)).isFalse();
        assertThat(dir.metBy(6000, 3000)).isFalse();
    }

    @Test
    void theTableAndJsonShowTheRatioTarget() {
        Report report = new Report(Profile.TINY, Instant.parse("2026-12-01T09:00:00Z"), new double[] {1, 1, 1});
        report.add(new Figure("catchup", "late joiner fetches 10000 messages (tcp)", "ms", 900, 400, Target.atMostTimesRaw(3), ""));
        report.add(Figure.conveneOnly("size.joinchecks.memory.10", "signature checks per peer", "checks", 1.2, null, "x"));
        assertThat(report.toTable()).containsPattern("late joiner fetches 10000 messages \\(tcp\\) +900 ms +400 ms +2\\.25 +<= 3\\.00x raw +yes")
                .containsPattern("signature checks per peer +1\\.20 checks +- +- ");
        assertThat(report.failures()).as("a figure of Convene's alone is complete without raw").isEmpty();
    }

    @Test
    void theIssuesTargetsAreWhereTheIssuePutsThem() {
        assertThat(LatencyBench.p50Target(3)).isEqualTo(Target.atMostTimesRaw(4));
        assertThat(LatencyBench.p50Target(10)).isEqualTo(Target.atMostTimesRaw(4));
        assertThat(LatencyBench.p99Target(10, "tcp")).isEqualTo(Target.atMost(5));
        assertThat(LatencyBench.p99Target(30, "memory")).isEqualTo(Target.atMost(10));
        assertThat(LatencyBench.p99Target(3, "tcp")).as("no issue-13 target: the older one").isEqualTo(Target.atMost(5));
        assertThat(SizeBench.directoryTarget(100)).isEqualTo(Target.atMost(5000).andTimesRaw(3));
        assertThat(SizeBench.directoryTarget(30)).isEqualTo(Target.atMost(5000));
    }

    @Test
    void aTargetHasABound() {
        assertThatThrownBy(() -> new Target(true, Double.NaN, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Figure.conveneOnly("k", "l", "u", 1, Target.atMostTimesRaw(2), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private final Report report = new Report(Profile.TINY, Instant.parse("2026-12-01T09:00:00Z"), new double[] {1.5, 1.0, 0.5});

    @Test
    void theRatioIsConveneOverRawAndTheTargetIsCheckedOnConvenesNumber() {
        Figure f = new Figure("latency.p50.3", "chat latency p50", "ms", 0.8, 0.2, Target.atMost(1), "");
        assertThat(f.ratio()).isEqualTo(4.0);
        assertThat(f.met()).isTrue();
        assertThat(new Figure("throughput", "t", "msg/s", 4000, 20000, Target.atLeast(5000), "").met()).isFalse();
        assertThat(new Figure("x", "x", "ms", 1, 1, null, "").met()).isNull();
    }

    @Test
    void aMissingFigureIsAFailureAndNullInJson() {
        report.add(new Figure("heap.idle", "heap", "MiB", 3, 1.5, Target.atMost(64), ""));
        report.add(Figure.missing("detect.stop", "SIGSTOP", "ms", Target.atMost(8000), "timed out"));
        report.finish(Instant.parse("2026-12-01T09:01:00Z"), new double[] {2, 1, 0.5});

        assertThat(report.failures()).containsExactly("detect.stop: timed out");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> figures = (Map<String, Map<String, Object>>) report.toJson().get("figures");
        assertThat(figures.get("heap.idle")).containsEntry("ratio", 2.0).containsEntry("met", true).containsEntry("target", "<= 64.0 MiB");
        assertThat(figures.get("detect.stop")).containsEntry("convene", null).containsEntry("ratio", null).containsEntry("met", false);
        assertThat(report.toJson()).containsEntry("seconds", 60.0);
    }

    @Test
    void theTableHasOneRowPerFigureAndTheNotes() {
        report.add(new Figure("latency.p99.3", "chat latency p99, 3 peers (tcp)", "ms", 2.5, 0.5, Target.atMost(5), "1000 samples"));
        report.add(Figure.missing("detect.kill", "kill -9 noticed", "ms", Target.atMost(1000), "timed out"));

        assertThat(report.toTable()).contains("load average 1.50/1.00/0.50 before")
                .containsPattern("chat latency p99, 3 peers \\(tcp\\) +2\\.50 ms +0\\.500 ms +5\\.00 +<= 5\\.00 ms +yes")
                .containsPattern("kill -9 noticed +- +- +- +<= 1000 ms +NO")
                .contains("latency.p99.3: 1000 samples", "detect.kill: timed out");
    }

    @Test
    void aFigureIsAddedOnce() {
        report.add(new Figure("throughput", "t", "msg/s", 1, 1, null, ""));
        assertThatThrownBy(() -> report.add(new Figure("throughput", "t", "msg/s", 1, 1, null, "")))
                .hasMessageContaining("throughput twice");
    }

    @Test
    void percentilesAreNearestRank() {
        Samples s = new Samples();
        for (int i = 1; i <= 100; i++) s.add(i * 1_000_000L);
        assertThat(s.percentileMillis(50)).isEqualTo(50.0);
        assertThat(s.percentileMillis(99)).isEqualTo(99.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);
        assertThat(new Samples().percentileMillis(50)).isNaN();
    }
}

package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A part whose peers outgrow the heap is stopped and reported, not left collecting garbage: the guard interrupts
 * the measuring thread once the heap after a collection passes its share. Shares of 0 and 100 % stand in for
 * an exhausted and a roomy heap; the waits are bounds, not speeds.
 */
@Timeout(120)
class HeapGuardTest {
    @Test
    void aGuardOverTheLimitInterruptsTheMeasuringThreadAndSaysWhy() throws Exception {
        System.gc(); // some heap is in use after a collection
        try (HeapGuard guard = HeapGuard.watch(Thread.currentThread(), 1e-9, "a test")) {
            assertThatThrownBy(() -> Thread.sleep(30_000)).isInstanceOf(InterruptedException.class);
            assertThat(guard.tripped()).startsWith("a test: the heap held").contains("MiB after a collection");
        }
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void aGuardUnderTheLimitLeavesThePartAlone() throws Exception {
        try (HeapGuard guard = HeapGuard.watch(Thread.currentThread(), 1.0, "a test")) {
            Thread.sleep(3 * HeapGuard.EVERY.toMillis());
            assertThat(guard.tripped()).isNull();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void theConferencePartStoppedByTheGuardReportsItsFiguresNotMeasured() throws Exception {
        System.gc();
        List<String> progress = new CopyOnWriteArrayList<>();
        try (Workspace ws = new Workspace()) {
            List<Figure> figures = new LatencyBench(ws, Profile.TINY, progress::add).conference(5, 1e-9);
            assertThat(figures).extracting(Figure::key).containsExactly("conference.p50.5", "conference.p99.5");
            assertThat(figures).allSatisfy(f -> {
                assertThat(f.complete()).isFalse();
                assertThat(f.note()).contains("a conference of 5: the heap held");
            });
        }
        assertThat(Thread.currentThread().isInterrupted()).as("the guard's interruption is not left behind").isFalse();
        assertThat(progress).anyMatch(l -> l.startsWith("conference: 5 not measured: a conference of 5: the heap held"));
    }
}

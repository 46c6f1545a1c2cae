package dev.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --jfr}: a recording of this JVM while a thread spins names the spinning method among the top frames. */
@Timeout(120)
class CpuProfileTest {
    private static volatile long sink;

    @Test
    void theSummaryCountsSamplesByTopFrame(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("profile.txt");
        try (CpuProfile ignored = CpuProfile.start(summary)) {
            // 1.5 s of this thread's CPU (on a loaded machine that takes longer than 1.5 s), within 60 s.
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuUntil = cpu.getCurrentThreadCpuTime() + 1_500_000_000L;
            long wallUntil = System.nanoTime() + 60_000_000_000L;
            while (cpu.getCurrentThreadCpuTime() < cpuUntil && System.nanoTime() < wallUntil) sink += spin(sink);
        }
        String text = Files.readString(summary);
        assertThat(summary.resolveSibling("profile.txt.jfr")).isRegularFile();
        assertThat(text).containsPattern("^[1-9][0-9]* execution samples").contains("top frames (self)", "on the stack (inclusive)");
        assertThat(text).contains("dev.convene.bench.CpuProfileTest.spin");
        assertThat(text).contains("every 1 ms", "by thread (name without its numbers)", "by first dev.convene frame from the top");
        // The spinning thread's samples are grouped under its name and under the spinning method as the first Convene frame.
        String byThread = section(text, "by thread");
        assertThat(byThread).contains(Thread.currentThread().getName().replaceAll("[0-9]+$", "").replaceAll("[-_#. ]+$", ""));
        assertThat(section(text, "by first dev.convene frame")).contains("dev.convene.bench.CpuProfileTest.spin");
        // 1 ms sampling: 1.5 s of one busy thread's CPU can give up to 1500 samples; the 'profile' settings' 10-20 ms at most 150.
        int samples = Integer.parseInt(text.substring(0, text.indexOf(' ')));
        assertThat(samples).as(text).isGreaterThan(150);
    }

    @Test
    void threadNamesAreGroupedWithoutTheirNumbers() {
        assertThat(CpuProfile.threadPrefix("pool-worker-3")).isEqualTo("pool-worker");
        assertThat(CpuProfile.threadPrefix("convene-tputc0-events")).isEqualTo("convene-*-events");
        assertThat(CpuProfile.threadPrefix("convene-2ess2vrt-verify-3")).isEqualTo("convene-*-verify");
        assertThat(CpuProfile.threadPrefix("convene-tputc-late-events")).isEqualTo("convene-*-events");
        assertThat(CpuProfile.threadPrefix("NioServer.Selector [/127.0.0.1:24200]")).isEqualTo("NioServer.Selector");
        assertThat(CpuProfile.threadPrefix("jgroups-12,lat3c,lat3c1")).isEqualTo("jgroups");
        assertThat(CpuProfile.threadPrefix("ForkJoinPool.commonPool-worker-7")).isEqualTo("ForkJoinPool.commonPool-worker");
        assertThat(CpuProfile.threadPrefix("main")).isEqualTo("main");
        assertThat(CpuProfile.threadPrefix("42")).isEqualTo("42");
        assertThat(CpuProfile.threadPrefix(null)).isEqualTo("?");
    }

    private static String section(String text, String title) {
        int from = text.indexOf(title);
        int to = text.indexOf("\n\n", from);
        return to < 0 ? text.substring(from) : text.substring(from, to);
    }

    /** Arithmetic only, no calls: whatever the JIT inlines, the samples land here. */
    private static long spin(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 200_000; i++) x = x * 6364136223846793005L + 1442695040888963407L ^ (x >>> 17);
        return x;
    }
}

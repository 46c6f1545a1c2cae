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
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) sink += spin(sink);
        }
        String text = Files.readString(summary);
        assertThat(summary.resolveSibling("profile.txt.jfr")).isRegularFile();
        assertThat(text).containsPattern("^[1-9][0-9]* execution samples").contains("top frames (self)", "on the stack (inclusive)");
        assertThat(text).contains("dev.convene.bench.CpuProfileTest.spin");
    }

    /** Arithmetic only, no calls: whatever the JIT inlines, the samples land here. */
    private static long spin(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 200_000; i++) x = x * 6364136223846793005L + 1442695040888963407L ^ (x >>> 17);
        return x;
    }
}

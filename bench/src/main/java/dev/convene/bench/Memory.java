package dev.convene.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap of this JVM, resident set of processes and the load average, as Linux and the JVM report them. */
final class Memory {
    static final double MIB = 1024.0 * 1024.0;

    private Memory() {
    }

    /** Used heap after asking for full collections until it settles, in bytes. */
    static long heapAfterGc() throws InterruptedException {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            long used = bean.getHeapMemoryUsage().getUsed();
            if (used >= last - (256 << 10)) return Math.min(used, last);
            last = used;
        }
        return last;
    }

    /** Collections so far and the milliseconds they took, summed over this JVM's collectors. */
    static long[] gcSoFar() {
        long count = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** "3 GCs, 41 ms" since {@code before} ({@link #gcSoFar()}). */
    static String gcSince(long[] before) {
        long[] now = gcSoFar();
        return (now[0] - before[0]) + " GCs, " + (now[1] - before[1]) + " ms";
    }

    /** VmRSS of a process in bytes, from /proc/PID/status; NaN where there is no /proc. */
    static double rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The 1, 5 and 15 minute load averages, or nothing where there is no /proc/loadavg. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }
}

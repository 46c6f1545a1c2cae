package dev.convene.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Locale;

/**
 * Stops a part whose peers outgrow the heap instead of letting the JVM spend minutes in back-to-back full
 * collections: while open, a daemon thread reads the heap used after the last collection every {@link #EVERY}
 * and, once it passes {@code fraction} of the maximum, records why and interrupts the measuring thread. The
 * part catches the interruption, asks {@link #tripped()} and reports its figures as not measured, with why.
 */
final class HeapGuard implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(500);

    private final Thread watcher;
    private volatile String tripped;

    private HeapGuard(Thread measuring, double fraction, String what) {
        long max = Runtime.getRuntime().maxMemory();
        watcher = new Thread(() -> {
            try {
                while (true) {
                    long used = usedAfterGc();
                    if (used > fraction * max) {
                        tripped = String.format(Locale.ROOT, "%s: the heap held %.0f of %.0f MiB after a collection (over %.0f %%)"
                                + " (a larger -Xmx, e.g. CONVENE_JAVA_OPTS=-Xmx4g, may measure it)", what, used / Memory.MIB,
                                max / Memory.MIB, fraction * 100);
                        measuring.interrupt();
                        return;
                    }
                    Thread.sleep(EVERY.toMillis());
                }
            } catch (InterruptedException closed) {
                // closed
            }
        }, "bench-heap-guard");
        watcher.setDaemon(true);
    }

    /** Watches the heap for {@code measuring} (usually the current thread) until closed. */
    static HeapGuard watch(Thread measuring, double fraction, String what) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction: " + fraction);
        HeapGuard g = new HeapGuard(measuring, fraction, what);
        g.watcher.start();
        return g;
    }

    /** Why the guard stopped the part, or null if it did not. */
    String tripped() {
        return tripped;
    }

    /** Heap in use after the last collection, summed over the heap pools that report it (the old generation). */
    static long usedAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.HEAP || !p.isCollectionUsageThresholdSupported()) continue;
            MemoryUsage u = p.getCollectionUsage();
            if (u != null) used += u.getUsed();
        }
        return used;
    }

    @Override
    public void close() {
        watcher.interrupt();
        try {
            watcher.join(EVERY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a stop while closing: left for the caller
        }
    }
}

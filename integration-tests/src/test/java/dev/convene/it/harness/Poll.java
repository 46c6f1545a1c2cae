package dev.convene.it.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits on a condition that no single event announces (every peer's group size, every history equal):
 * checks it, pauses, checks again, until it holds or the deadline passes. Bounded in time and so in
 * count; the pause grows from 100 ms to 1 s so a slow condition costs few checks.
 */
public final class Poll {
    private Poll() {
    }

    /**
     * Returns how long it took once {@code condition} holds.
     *
     * @param what what is awaited and, evaluated at the deadline, what was seen instead
     * @throws AssertionError at the deadline
     */
    public static Duration until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = 100;
        while (true) {
            if (condition.getAsBoolean()) return Duration.ofNanos(System.nanoTime() - start);
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out after " + timeout.toMillis() + "ms waiting for " + what.get());
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
            pause = Math.min(1000, pause * 2);
        }
    }
}

package dev.convene.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting: every wait of the bench has a deadline and says what did not happen. */
final class Waits {
    private Waits() {
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds.
     *
     * @throws BenchException naming {@code what} if it does not hold within {@code timeout}
     */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new BenchException("timed out after " + timeout.toSeconds() + " s: " + what.get());
            Thread.sleep(5);
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}

package dev.convene.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, summarised as percentiles in milliseconds (nearest-rank). Not
 * thread-safe: filled after a run from the arrival times.
 */
final class Samples {
    private long[] values = new long[64];
    private int size;

    void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in milliseconds; NaN without samples. */
    double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}

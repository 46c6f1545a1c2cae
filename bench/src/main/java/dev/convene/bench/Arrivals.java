package dev.convene.bench;

/**
 * When each receiver got each of a run's messages (message {@code i} is the {@code i}-th one sent, from 0),
 * and a way for the sender to wait for them. Receivers report from their own threads; a receiver in another
 * process reports only how many it has (see {@link #progress}).
 *
 * <p>Thread-safe; one monitor, since at most a few tens of thousands of arrivals per second are recorded.
 */
final class Arrivals {
    private final int receivers;
    private final int messages;
    private final long[][] at;
    private final int[] perMessage;
    private final int[] perReceiver;
    private long completedAt;

    Arrivals(int receivers, int messages) {
        this.receivers = receivers;
        this.messages = messages;
        this.at = new long[receivers][messages];
        this.perMessage = new int[messages];
        this.perReceiver = new int[receivers];
    }

    int messages() {
        return messages;
    }

    /** Receiver {@code r} got message {@code m} at {@code nanos} ({@link System#nanoTime()}); repeats are ignored. */
    synchronized void record(int r, int m, long nanos) {
        if (m < 0 || m >= messages || at[r][m] != 0) return;
        at[r][m] = nanos;
        perMessage[m]++;
        perReceiver[r]++;
        changed(nanos);
    }

    /** Receiver {@code r} (in another process) reports holding {@code delivered} messages, as of {@code nanos}. */
    synchronized void progress(int r, int delivered, long nanos) {
        if (delivered <= perReceiver[r]) return;
        perReceiver[r] = Math.min(delivered, messages);
        changed(nanos);
    }

    private void changed(long nanos) {
        if (completedAt == 0 && minimum() >= messages) completedAt = nanos;
        notifyAll();
    }

    /** The fewest messages any receiver has. */
    synchronized int minimum() {
        int min = Integer.MAX_VALUE;
        for (int n : perReceiver) min = Math.min(min, n);
        return min;
    }

    /** Waits until every receiver has message {@code m}; false if the deadline ({@code nanoTime}) passed. */
    synchronized boolean awaitMessage(int m, long deadline) throws InterruptedException {
        while (perMessage[m] < receivers) {
            if (!pause(deadline)) return false;
        }
        return true;
    }

    /** Waits until every receiver has at least {@code n} messages; false if the deadline passed. */
    synchronized boolean awaitMinimum(int n, long deadline) throws InterruptedException {
        while (minimum() < n) {
            if (!pause(deadline)) return false;
        }
        return true;
    }

    private boolean pause(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        wait(Math.max(1, left / 1_000_000));
        return true;
    }

    /** When the last receiver got the last message, or 0 if not yet. */
    synchronized long completedAt() {
        return completedAt;
    }

    /** Every (message, receiver) delay from {@code sentAt[m]}, for messages {@code from} to {@code messages - 1}. */
    synchronized Samples delays(long[] sentAt, int from) {
        Samples s = new Samples();
        for (int m = from; m < messages; m++) {
            for (int r = 0; r < receivers; r++) {
                if (at[r][m] != 0) s.add(at[r][m] - sentAt[m]);
            }
        }
        return s;
    }
}

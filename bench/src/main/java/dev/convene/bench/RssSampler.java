package dev.convene.bench;

/** Samples a child's resident set every 100 ms on a thread of its own and keeps the peak. */
final class RssSampler implements AutoCloseable {
    private final Thread thread;
    private volatile double peak = Double.NaN;
    private volatile boolean stop;

    RssSampler(Child child) {
        thread = new Thread(() -> {
            while (!stop) {
                double now = child.rss();
                if (Double.isFinite(now) && !(now <= peak)) peak = now;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-rss-" + child.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** The highest resident set seen so far, in bytes; NaN before the first sample. */
    double peak() {
        return peak;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}

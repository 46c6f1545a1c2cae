package dev.convene.cli.output;

import dev.convene.conference.ChatEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Shows messages that arrive by catch-up in the history's order. Catch-up (after joining, or coming back)
 * delivers a conference's older messages one author at a time; printed as they come they read grouped by
 * author. A message sent more than {@link #LIVE} before it arrives is held until no more such messages came
 * for {@link #QUIET}, then the held ones go out in canonical order; a live message first lets out what is
 * held, so nothing is ever shown after a newer message of the same batch. Live messages are never delayed.
 *
 * <p>{@link #accept} is called on the conference peer's callback thread; the flush runs on a timer thread
 * of its own; both hand messages to the sink one at a time, under a lock.
 */
final class CatchUpOrder implements AutoCloseable {
    /** A message older than this when it arrives is taken for catch-up. */
    static final Duration LIVE = Duration.ofSeconds(5);
    /** How long catch-up must be quiet before the held messages are shown. */
    static final Duration QUIET = Duration.ofMillis(300);
    /** At most this many messages are held; more let the held ones out at once. */
    static final int MAX_HELD = 10_000;

    private final Consumer<ChatEntry> sink;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ChatEntry> held = new ArrayList<>();
    private ScheduledFuture<?> flush;

    CatchUpOrder(Consumer<ChatEntry> sink, Clock clock) {
        this(sink, clock, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "convene-catch-up-order");
            t.setDaemon(true);
            return t;
        }));
    }

    CatchUpOrder(Consumer<ChatEntry> sink, Clock clock, ScheduledExecutorService timer) {
        this.sink = sink;
        this.clock = clock;
        this.timer = timer;
    }

    void accept(ChatEntry entry) {
        lock.lock();
        try {
            boolean catchUp = entry.sentAt().isBefore(clock.instant().minus(LIVE));
            if (!catchUp) {
                flushHeld();
                sink.accept(entry);
                return;
            }
            held.add(entry);
            if (held.size() >= MAX_HELD) {
                flushHeld();
                return;
            }
            if (flush != null) flush.cancel(false);
            flush = timer.schedule(this::flush, QUIET.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Shows what is held, in canonical order. */
    void flush() {
        lock.lock();
        try {
            flushHeld();
        } finally {
            lock.unlock();
        }
    }

    private void flushHeld() {
        if (held.isEmpty()) return;
        held.sort(ChatEntry.CANONICAL_ORDER);
        List<ChatEntry> out = List.copyOf(held);
        held.clear();
        if (flush != null) flush.cancel(false);
        flush = null;
        out.forEach(sink);
    }

    /** Lets out what is held, and stops the timer. */
    @Override
    public void close() {
        flush();
        timer.shutdownNow();
    }
}

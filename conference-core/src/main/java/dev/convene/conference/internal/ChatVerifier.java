package dev.convene.conference.internal;

import dev.convene.overlay.Identity;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Author signatures of incoming chat checked in parallel, on a pool that belongs to one peer: as many workers as
 * the machine has cores (at most {@link #MAX_WORKERS}), at most {@link #MAX_PENDING_BYTES} of messages waiting.
 * Each result goes back to the engine thread, which decides what the message means (it holds messages per author
 * until their turn, so results that come back out of order are put in order there).
 *
 * <p>{@link #submit} is called on the engine thread; when the pool is at its bound in bytes (or closed) the check
 * runs at once on the engine thread instead, so nothing is refused for it and the engine thread slows down to the
 * pool's pace. Without a pool ({@link #inline}), or before the engine thread is known, every check runs at once:
 * for peers driven directly in tests.
 * {@link #close()} stops the workers; results still coming are dropped (the engine is gone).
 */
final class ChatVerifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    /** The most workers, whatever the core count. */
    static final int MAX_WORKERS = 8;
    /** The most bytes of chat waiting for or under a check. */
    static final long MAX_PENDING_BYTES = 8L * 1024 * 1024;

    /** A check to make: does {@code signature} by {@code key} verify over {@code signed}. */
    record Check(byte[] key, byte[] signed, byte[] signature) {
        int bytes() {
            return signed.length + signature.length + 64;
        }
    }

    private final EngineState s;
    private final ExecutorService pool;
    private final AtomicLong pendingBytes = new AtomicLong();

    private ChatVerifier(EngineState s, int workers) {
        this.s = s;
        if (workers <= 0) {
            pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            // Unbounded in tasks, bounded in bytes by submit: tasks are handed over without blocking the engine thread.
            ThreadPoolExecutor p = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "convene-" + s.label() + "-verify-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true); // an idle peer keeps no verification threads
            pool = p;
        }
    }

    /** A verifier with workers from this machine's core count. */
    static ChatVerifier pooled(EngineState s) {
        return new ChatVerifier(s, Math.min(MAX_WORKERS, Math.max(1, Runtime.getRuntime().availableProcessors())));
    }

    /** A verifier that checks at once on the caller's thread. */
    static ChatVerifier inline(EngineState s) {
        return new ChatVerifier(s, 0);
    }

    /** Whether checks run at once on the caller's thread (no pool). */
    boolean isInline() {
        return pool == null;
    }

    /**
     * Checks every one of {@code checks} and then, on the engine thread, hands their results (in the same order) to
     * {@code onEngine}. Engine thread. Runs the checks at once (and {@code onEngine} before returning) without a pool,
     * or when the pool holds too many bytes already.
     */
    void submit(List<Check> checks, Consumer<boolean[]> onEngine) {
        int bytes = 0;
        for (Check c : checks) bytes += c.bytes();
        if (pool == null || s.events == null || pendingBytes.get() + bytes > MAX_PENDING_BYTES) {
            onEngine.accept(checkAll(checks, 0, checks.size()));
            return;
        }
        pendingBytes.addAndGet(bytes);
        int parts = Math.min(checks.size(), workers());
        boolean[] results = new boolean[checks.size()];
        AtomicInteger remaining = new AtomicInteger(parts);
        int total = bytes;
        for (int part = 0; part < parts; part++) {
            int from = checks.size() * part / parts;
            int to = checks.size() * (part + 1) / parts;
            Runnable work = () -> {
                boolean[] r = checkAll(checks, from, to);
                System.arraycopy(r, 0, results, from, to - from);
                if (remaining.decrementAndGet() == 0) {
                    pendingBytes.addAndGet(-total);
                    try {
                        s.events.execute(() -> onEngine.accept(results));
                    } catch (RejectedExecutionException e) {
                        // the engine thread is gone (closing): nothing waits for this any more
                    }
                }
            };
            try {
                pool.execute(work);
            } catch (RejectedExecutionException e) {
                work.run(); // closed meanwhile: finish here
            }
        }
    }

    private int workers() {
        return ((ThreadPoolExecutor) pool).getMaximumPoolSize();
    }

    private static boolean[] checkAll(List<Check> checks, int from, int to) {
        boolean[] out = new boolean[to - from];
        for (int i = from; i < to; i++) {
            Check c = checks.get(i);
            try {
                out[i - from] = Identity.verify(c.key(), c.signed(), c.signature());
            } catch (RuntimeException e) {
                log.debug("a chat signature check failed: {}", e.toString());
                out[i - from] = false;
            }
        }
        return out;
    }

    /** Bytes of chat waiting for or under a check. */
    long pendingBytes() {
        return pendingBytes.get();
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}

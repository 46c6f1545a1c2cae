package dev.convene.conference.internal;

import dev.convene.overlay.Identity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A check to make: does {@code signature} by {@code key} verify over {@code signed}; {@code batched}: the
     * signature covers a batch ({@link BatchSignature}), so its result is remembered and shared by the batch. With a
     * {@code contentKey}, the worker also decrypts {@code message}'s body into {@code plain} (null if it fails), so
     * the engine thread does not have to.
     */
    record Check(byte[] key, byte[] signed, byte[] signature, boolean batched, ChatMessage message, byte[] contentKey,
                 java.util.concurrent.atomic.AtomicReference<byte[]> plain) {
        Check(byte[] key, byte[] signed, byte[] signature) {
            this(key, signed, signature, false, null, null, new java.util.concurrent.atomic.AtomicReference<>());
        }

        /** The check of {@code m}'s author signature with {@code key}. */
        static Check of(byte[] key, ChatMessage m) {
            return of(key, m, null);
        }

        /** The check of {@code m}'s author signature with {@code key}, and its decryption with {@code contentKey} if not null. */
        static Check of(byte[] key, ChatMessage m, byte[] contentKey) {
            return of(key, m, contentKey, m.signedBytes());
        }

        /** As {@link #of(byte[], ChatMessage, byte[])} with {@code signed}, the bytes {@code m}'s signature covers, already computed. */
        static Check of(byte[] key, ChatMessage m, byte[] contentKey, byte[] signed) {
            return new Check(key, signed, m.signature(), m.batched(), m, contentKey, new java.util.concurrent.atomic.AtomicReference<>());
        }

        int bytes() {
            return signed.length + signature.length + 64 + (message == null ? 0 : message.body().length);
        }
    }

    /** Batch signatures that verified here (bounded): the rest of a batch costs no signature check. */
    private final BatchSignature.Verified verified = new BatchSignature.Verified();
    /** Chat signatures not checked again because their batch's signature had verified (or was checked once for all). */
    private final AtomicLong batchHits = new AtomicLong();
    /** Chat bodies decrypted on the pool. */
    private final AtomicLong decryptions = new AtomicLong();
    /** Ed25519 checks made on chat author signatures. */
    private final AtomicLong signatureChecks = new AtomicLong();

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
        // One Ed25519 check per distinct batch signature: those that verified before are true at once, the others are
        // checked once for all the messages of this submission that share them.
        int n = checks.size();
        boolean[] results = new boolean[n];
        int[] slot = new int[n];
        List<Check> unique = new ArrayList<>(n);
        List<java.nio.ByteBuffer> uniqueKeys = new ArrayList<>(n);
        Map<java.nio.ByteBuffer, Integer> seen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Check c = checks.get(i);
            if (!c.batched()) {
                slot[i] = unique.size();
                unique.add(c);
                uniqueKeys.add(null);
                continue;
            }
            java.nio.ByteBuffer key = BatchSignature.Verified.key(c.key(), c.signed(), c.signature());
            if (verified.contains(key)) {
                batchHits.incrementAndGet();
                results[i] = true;
                slot[i] = -1;
                continue;
            }
            Integer at = seen.get(key);
            if (at != null) {
                batchHits.incrementAndGet();
                slot[i] = at;
                continue;
            }
            seen.put(key, unique.size());
            slot[i] = unique.size();
            unique.add(c);
            uniqueKeys.add(key);
        }
        List<Check> decrypts = new ArrayList<>();
        for (Check c : checks) if (c.contentKey() != null && c.message() != null) decrypts.add(c);
        if (unique.isEmpty() && (decrypts.isEmpty() || pool == null || s.events == null)) {
            onEngine.accept(results); // nothing to check; the engine thread decrypts at delivery
            return;
        }
        submitDistinct(unique, decrypts, ok -> {
            for (int j = 0; j < ok.length; j++) if (ok[j] && uniqueKeys.get(j) != null) verified.add(uniqueKeys.get(j));
            for (int i = 0; i < n; i++) if (slot[i] >= 0) results[i] = ok[slot[i]];
            onEngine.accept(results);
        });
    }

    /**
     * Checks one chat message's author signature at once (caller's thread) through {@code gate}'s budget for
     * {@code from}; a batch signature that verified before is not checked again.
     */
    boolean verifyChat(SignatureGate gate, dev.convene.overlay.PeerId from, byte[] key, ChatMessage m) {
        Check c = Check.of(key, m);
        java.nio.ByteBuffer k = c.batched() ? BatchSignature.Verified.key(key, c.signed(), c.signature()) : null;
        if (k != null && verified.contains(k)) {
            batchHits.incrementAndGet();
            return true;
        }
        signatureChecks.incrementAndGet();
        boolean ok = gate.verifyChat(from, key, c.signed(), c.signature());
        if (ok && k != null) verified.add(k);
        return ok;
    }

    /**
     * Runs {@code work} on the pool and hands its result to {@code onEngine} on the engine thread; at once on the
     * caller's thread without a pool, before the engine thread is known, or once closed. Engine thread.
     */
    <T> void offload(java.util.function.Supplier<T> work, Consumer<T> onEngine) {
        if (pool == null || s.events == null) {
            onEngine.accept(work.get());
            return;
        }
        try {
            pool.execute(() -> {
                T result = work.get();
                try {
                    s.events.execute(() -> onEngine.accept(result));
                } catch (RejectedExecutionException e) {
                    // the engine thread is gone (closing): nothing waits for this any more
                }
            });
        } catch (RejectedExecutionException e) {
            onEngine.accept(work.get()); // closed meanwhile: finish here
        }
    }

    /** Chat signatures not checked because their batch's signature was (here, before or in the same submission). */
    long batchHits() {
        return batchHits.get();
    }

    /** Chat bodies decrypted on the pool (ahead of delivery, off the engine thread). */
    long decryptions() {
        return decryptions.get();
    }

    /** Ed25519 checks of chat author signatures made through this verifier. */
    long signatureChecks() {
        return signatureChecks.get();
    }

    /** Checks {@code checks} and decrypts {@code decrypts} on the pool, in as many parts as there are workers. */
    private void submitDistinct(List<Check> checks, List<Check> decrypts, Consumer<boolean[]> onEngine) {
        int bytes = 0;
        for (Check c : checks) bytes += c.bytes();
        if (pool == null || s.events == null || pendingBytes.get() + bytes > MAX_PENDING_BYTES) {
            onEngine.accept(checkAll(checks, 0, checks.size())); // the engine thread decrypts at delivery
            return;
        }
        pendingBytes.addAndGet(bytes);
        int parts = Math.max(1, Math.min(Math.max(checks.size(), decrypts.size()), workers()));
        boolean[] results = new boolean[checks.size()];
        AtomicInteger remaining = new AtomicInteger(parts);
        int total = bytes;
        for (int part = 0; part < parts; part++) {
            int from = checks.size() * part / parts;
            int to = checks.size() * (part + 1) / parts;
            int dFrom = decrypts.size() * part / parts;
            int dTo = decrypts.size() * (part + 1) / parts;
            Runnable work = () -> {
                boolean[] r = checkAll(checks, from, to);
                System.arraycopy(r, 0, results, from, to - from);
                decryptAll(decrypts, dFrom, dTo);
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

    private void decryptAll(List<Check> decrypts, int from, int to) {
        for (int i = from; i < to; i++) {
            Check c = decrypts.get(i);
            decryptions.incrementAndGet();
            try {
                c.plain().set(ContentCrypto.decrypt(c.contentKey(), c.message().body(), c.message().aad()));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                c.plain().set(null); // not readable with this key: the engine thread decides at delivery
            }
        }
    }

    private int workers() {
        return ((ThreadPoolExecutor) pool).getMaximumPoolSize();
    }

    private boolean[] checkAll(List<Check> checks, int from, int to) {
        boolean[] out = new boolean[to - from];
        for (int i = from; i < to; i++) {
            signatureChecks.incrementAndGet();
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

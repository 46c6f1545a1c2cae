package dev.convene.conference.internal;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the engine verifies the signatures of conference records that arrive in metadata (contexts,
 * invitations, replies, removals, grants), so that what a remote peer can make this peer compute is bounded:
 * <ul>
 * <li>results, valid and invalid, are cached in a bounded LRU keyed by SHA-256 of (key, signed bytes,
 *     signature): a replayed record costs a hash, not a verification;</li>
 * <li>each sending peer has a budget of verifications ({@link #BURST}, refilled at {@link #PER_SECOND}); a record
 *     beyond it is treated as unverified without being checked (and not cached), and merges again when it comes
 *     back through anti-entropy;</li>
 * <li>the budgets themselves are a bounded LRU of senders;</li>
 * <li>a frame whose records failed {@link #FRAME_FAILURES} times (checked or from the cache) has the rest of its
 *     records treated as unverified without being checked: an honest peer relays only records it verified, so a
 *     frame with bad signatures is hostile, and a frame full of them costs a handful of checks instead of
 *     {@link #PER_FRAME} on the event thread that also delivers chat.</li>
 * </ul>
 * Engine thread only. Counts into {@link Counters}.
 */
final class SignatureGate {
    /** Verifications one sender may cost at once. An honest full metadata of 256 invitees takes about 520. */
    static final int BURST = 1024;
    /** Verifications per second one sender may cost after its burst. */
    static final int PER_SECOND = 256;
    static final int CACHE_ENTRIES = 8192;
    static final int SENDERS = 1024;

    private final Counters counters;
    private final LongSupplier nanos;
    private final Map<ByteBuffer, Boolean> results = new Bounded<>(CACHE_ENTRIES);
    private final Map<PeerId, TokenBucket> budgets = new Bounded<>(SENDERS);
    /** Verifications one frame may cost; an honest metadata chunk costs at most about 2 per invitation. */
    static final int PER_FRAME = 2 * 512 + 80;
    private int frameChecks;
    /** Failed verifications one frame from a remote sender may cause before the rest of it is refused unchecked. */
    static final int FRAME_FAILURES = 4;
    private int frameFailures;

    SignatureGate(Counters counters, LongSupplier nanos) {
        this.counters = counters;
        this.nanos = nanos;
    }

    /**
     * Whether {@code signature} by {@code key} verifies over {@code signed}, charging {@code sender}'s budget
     * unless the answer is cached. False when the budget is spent (unchecked).
     *
     * @param sender who sent the frame, or null for this peer's own work (restore): never budgeted
     */
    boolean verify(PeerId sender, byte[] key, byte[] signed, byte[] signature) {
        return verify(sender, key, () -> signed, signature);
    }

    /**
     * As {@link #verify(PeerId, byte[], byte[], byte[])}, with the signed bytes made only if they are needed: a
     * record of a frame already refused costs neither its encoding nor a hash (a frame of hundreds of bad records
     * would otherwise cost hundreds of encodings and SHA-256 digests on the event thread).
     */
    boolean verify(PeerId sender, byte[] key, java.util.function.Supplier<byte[]> signedBytes, byte[] signature) {
        if (sender != null && frameFailures >= FRAME_FAILURES) {
            counters.entriesOverCap.increment();
            return false;
        }
        byte[] signed = signedBytes.get();
        ByteBuffer k = digest(key, signed, signature);
        Boolean known = results.get(k);
        if (known != null) {
            counters.signatureCacheHits.increment();
            if (!known && sender != null) frameFailures++;
            return known;
        }
        if (sender != null && frameChecks >= PER_FRAME) {
            counters.entriesOverCap.increment();
            return false;
        }
        frameChecks++;
        if (sender != null && !budgets.computeIfAbsent(sender, s -> new TokenBucket(BURST, PER_SECOND, nanos)).tryTake(1)) {
            counters.signatureBudgetExceeded.increment();
            return false;
        }
        counters.signatureChecks.increment();
        boolean ok = Identity.verify(key, signed, signature);
        results.put(k, ok);
        if (!ok && sender != null) frameFailures++;
        return ok;
    }

    /**
     * Charges one verification made elsewhere (a receipt checked on the worker pool) to {@code sender}'s budget,
     * uncached; false (counted) when the budget is spent: the record is then treated as unverified.
     */
    boolean charge(PeerId sender) {
        if (!budgets.computeIfAbsent(sender, s -> new TokenBucket(BURST, PER_SECOND, nanos)).tryTake(1)) {
            counters.signatureBudgetExceeded.increment();
            return false;
        }
        counters.signatureChecks.increment();
        return true;
    }

    /** Chat signatures that fail, per sending peer: at most this many at once... */
    static final int CHAT_FAILURES_BURST = 64;
    /** ...and this many per second after that. */
    static final int CHAT_FAILURES_PER_SECOND = 16;
    private final Map<PeerId, TokenBucket> chatFailures = new Bounded<>(SENDERS);

    /**
     * Verifies a chat message's author signature for a message that {@code sender} delivered. Chat is not
     * budgeted while it verifies (history catch-up verifies every message it gets); but a sender whose frames
     * carried more bad signatures than {@link #CHAT_FAILURES_BURST}, then {@link #CHAT_FAILURES_PER_SECOND}, gets
     * its chat refused unchecked until its budget refills (a replayed batch of forgeries costs that much, no
     * more). Not cached: a valid message is stored, and a later copy is a duplicate caught before any check.
     */
    boolean verifyChat(PeerId sender, byte[] key, byte[] signed, byte[] signature) {
        if (!mayCheckChat(sender)) return false;
        boolean ok = Identity.verify(key, signed, signature);
        chatChecked(sender, ok);
        return ok;
    }

    private TokenBucket chatFailures(PeerId sender) {
        return chatFailures.computeIfAbsent(sender, s -> new TokenBucket(CHAT_FAILURES_BURST, CHAT_FAILURES_PER_SECOND, nanos));
    }

    /** Whether a chat signature from {@code sender} may be checked now; counts a refusal if not. */
    boolean mayCheckChat(PeerId sender) {
        if (chatFailures(sender).hasToken()) return true;
        counters.signatureBudgetExceeded.increment();
        return false;
    }

    /**
     * How many chat signatures from {@code sender} may be under a check at once (elsewhere, {@link ChatVerifier}):
     * as many as its failure budget holds, so that what they cost if all fail stays within it.
     */
    long chatChecksAllowed(PeerId sender) {
        return chatFailures(sender).available();
    }

    /** Accounts for a chat signature from {@code sender} checked elsewhere: a failure spends its budget. */
    void chatChecked(PeerId sender, boolean ok) {
        if (ok) return;
        chatFailures(sender).tryTake(1);
        counters.chatSignatureFailures.increment();
    }

    /** Starts counting a new frame's verifications against {@link #PER_FRAME}. */
    void beginFrame() {
        frameChecks = 0;
        frameFailures = 0;
    }

    private static ByteBuffer digest(byte[] key, byte[] signed, byte[] signature) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key);
            sha.update(signed);
            sha.update(signature);
            return ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package dev.convene.overlay.internal;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.Frame;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.FrameException;
import dev.convene.overlay.wire.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound gate: everything a frame must pass before the event thread sees it, cheapest first, on the
 * JGroups thread that received it. Frames from addresses outside the current view, or from members whose
 * key is not known yet, are held in a small bounded pen until the view or the advertisement arrives
 * ({@link #release}), never delivered. Signed frames (advertisements and requests for them) are charged to
 * a small budget of the claimed address before their Ed25519 signature is checked (a {@code Hello} echoing
 * the nonce this peer sent to that address, to a second budget of the address that forgers cannot spend; a
 * {@code Hello} refused for the budget is answered with an unauthenticated echo of its nonce, and an
 * unauthenticated frame is admitted only as such an echo of this peer's own nonce); every other frame must carry the
 * MAC of the sender's pair key, a fresh sequence number, and fit its verified sender's rate and queue
 * budget before its body is decoded. Each refusal is counted. Thread-safe.
 */
final class InboundGate {
    private static final Logger log = LoggerFactory.getLogger(InboundGate.class);
    /** Signed frames a member may send: a burst for a view change, then a few a second. */
    static final int SIGNED_BURST = 16;
    static final double SIGNED_PER_SECOND = 2;
    /**
     * Hellos echoing the nonce this peer sent to the claimed address (so sent by the process at that address) have
     * a budget of their own per address, which frames forged in that member's name cannot spend.
     */
    static final int ECHOED_BURST = 8;
    static final double ECHOED_PER_SECOND = 2;
    /**
     * Frames held while their sender's membership or key is not known yet: per address, and in total in each of
     * the two pens (claimed view members; addresses outside the view), each also at most two frames' worth of bytes.
     */
    static final int PEN_PER_ADDRESS = 32;
    static final int PEN_FRAMES = 256;

    /** A frame that passed: signed (with its verified frame) or authenticated by a pair key. */
    sealed interface Admitted permits Signed, Authenticated, Echoed {
        Address src();

        Object charge();

        int size();
    }

    /** A verified signed frame; {@code echoed}: a Hello echoing this peer's nonce to {@code src} (so sent from there). */
    record Signed(Address src, Frame frame, Object charge, int size, boolean echoed) implements Admitted {
    }

    record Authenticated(Address src, PeerId from, MessageType<?> type, Object body, Object charge, int size) implements Admitted {
    }

    /** An {@link OverlayMessages.Echo} whose echoed nonce is the one this peer sent to {@code src}: {@code nonce} is src's. */
    record Echoed(Address src, byte[] nonce, Object charge, int size) implements Admitted {
    }

    /** What the gate needs to know about the view and the sessions (kept by the coordinator). */
    interface Membership {
        boolean isMember(Address a);

        PeerSession sessionAt(Address a);

        /** The nonce this peer sent to member {@code a}, or null if it sent none. */
        byte[] nonceSentTo(Address a);

        /**
         * A {@code Hello} from member {@code src} of {@code length} bytes, carrying the nonce {@code theirNonce},
         * was refused unchecked (the address's signed-frame budget spent): answer it with an echo.
         */
        default void refusedHello(Address src, byte[] theirNonce, int length) {
        }
    }

    /** Longest body of an {@link OverlayMessages.Echo} this peer decodes (a peer id and two nonces). */
    static final int MAX_ECHO_BODY = 160;
    /** The end of a {@code Hello}'s body: the session nonce and the echo, each with its one-byte length. */
    private static final int HELLO_TAIL = 2 * (1 + PeerSession.NONCE_LENGTH);

    /**
     * How long a frame from a non-member is held before it is dropped: a joiner's first frames can reach a
     * member several views behind it.
     */
    static final long HELD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final String label;
    private final FrameCodec codec;
    private final Counters counters;
    private final Membership membership;
    private final InboundBudget budget;
    private final int framesPerSecond;
    private final LongSupplier nanos;
    private final Map<PeerId, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<Address, RateLimiter> signedLimiters = new ConcurrentHashMap<>();
    private final Map<Address, RateLimiter> echoedLimiters = new ConcurrentHashMap<>();
    private final ReentrantLock penLock = new ReentrantLock();
    /**
     * Two pens, so that frames from made-up addresses outside the view (which anyone can send without limit)
     * never crowd out frames claiming a view member's address, of which there are only as many as members.
     */
    private final HeldFrames members;
    private final HeldFrames strangers;

    InboundGate(String label, FrameCodec codec, Counters counters, Membership membership, InboundBudget budget, int framesPerSecond,
                LongSupplier nanos) {
        this.label = label;
        this.codec = codec;
        this.counters = counters;
        this.membership = membership;
        this.budget = budget;
        this.framesPerSecond = framesPerSecond;
        this.nanos = nanos;
        this.members = new HeldFrames(PEN_PER_ADDRESS, PEN_FRAMES, 2L * codec.maxFrame());
        this.strangers = new HeldFrames(PEN_PER_ADDRESS, PEN_FRAMES, 2L * codec.maxFrame());
    }

    /** What happened to a frame. */
    enum Outcome { ADMITTED, DROPPED, HELD_NOT_MEMBER, HELD_NO_KEY, DROPPED_UNCONFIRMED }

    /**
     * Checks one frame. Returns the admitted frame (charged to the budget: the caller {@link #done releases}
     * it once handled), or null with {@code outcome[0]} saying whether it was dropped (counted) or held.
     */
    Admitted admit(Address src, byte[] buf, int offset, int length, Outcome[] outcome) {
        outcome[0] = Outcome.DROPPED;
        expireHeld();
        FrameCodec.Header h;
        try {
            h = codec.header(buf, offset, length);
        } catch (FrameException e) {
            counters.drop(e.reason());
            return null;
        }
        if (!membership.isMember(src)) {
            outcome[0] = hold(strangers, src, buf, offset, length, DropReason.NOT_MEMBER) ? Outcome.HELD_NOT_MEMBER : Outcome.DROPPED;
            return null;
        }
        if (h.unauthenticated()) return admitEcho(src, h, buf, offset, length);
        return h.authenticatedByPairKey() ? admitAuthenticated(src, h, buf, offset, length, outcome) : admitSigned(src, h, buf, offset, length);
    }

    /**
     * An unauthenticated frame: only an {@link OverlayMessages.Echo} of the nonce this peer sent to {@code src} is
     * admitted (only the process at that address received it), charged to the echo budget of the address.
     */
    private Admitted admitEcho(Address src, FrameCodec.Header h, byte[] buf, int offset, int length) {
        byte[] sent = membership.nonceSentTo(src);
        if (h.type().id() != OverlayMessages.ECHO.id() || h.bodyLength() > MAX_ECHO_BODY || sent == null) {
            counters.drop(DropReason.UNAUTHENTICATED);
            return null;
        }
        OverlayMessages.Echo echo;
        try {
            echo = (OverlayMessages.Echo) codec.body(h, buf, offset);
        } catch (FrameException e) {
            counters.drop(e.reason());
            return null;
        }
        if (!java.security.MessageDigest.isEqual(echo.echoed(), sent)) {
            counters.drop(DropReason.UNAUTHENTICATED);
            return null;
        }
        if (!echoedLimiters.computeIfAbsent(src, a -> new RateLimiter(ECHOED_PER_SECOND, ECHOED_BURST, nanos.getAsLong()))
                .tryAcquire(nanos.getAsLong())) {
            counters.drop(DropReason.AD_BUDGET);
            return null;
        }
        if (!budget.tryCharge(src, length)) {
            counters.drop(DropReason.OVERLOADED);
            return null;
        }
        counters.receivedType(OverlayMessages.ECHO.id());
        return new Echoed(src, echo.nonce(), src, length);
    }

    private Admitted admitSigned(Address src, FrameCodec.Header h, byte[] buf, int offset, int length) {
        int type = h.type().id();
        if (type != OverlayMessages.HELLO.id() && type != OverlayMessages.AD_REQUEST.id()) {
            counters.drop(DropReason.UNAUTHENTICATED); // only the key exchange itself may come signed
            return null;
        }
        // Before the signature nothing shows who sent the frame: the budget is the claimed address's, and anyone can
        // spend it. A Hello echoing the nonce sent to that address came from there: it has a budget of its own.
        boolean echoed = type == OverlayMessages.HELLO.id() && echoes(src, h, buf, offset);
        RateLimiter limiter = echoed
                ? echoedLimiters.computeIfAbsent(src, a -> new RateLimiter(ECHOED_PER_SECOND, ECHOED_BURST, nanos.getAsLong()))
                : signedLimiters.computeIfAbsent(src, a -> new RateLimiter(SIGNED_PER_SECOND, SIGNED_BURST, nanos.getAsLong()));
        if (!limiter.tryAcquire(nanos.getAsLong())) {
            counters.drop(DropReason.AD_BUDGET);
            if (type == OverlayMessages.HELLO.id() && !echoed) {
                // Maybe the real member's first Hello, maybe a forgery: answer with an echo of its nonce, which
                // only the real member can use (and only toward a member whose binding is not proven).
                PeerSession s = membership.sessionAt(src);
                byte[] tail = h.bodyTail(buf, offset, HELLO_TAIL, 1 + PeerSession.NONCE_LENGTH);
                if ((s == null || !s.confirmed()) && tail != null && tail[0] == PeerSession.NONCE_LENGTH) {
                    membership.refusedHello(src, java.util.Arrays.copyOfRange(tail, 1, tail.length), length);
                }
            }
            return null;
        }
        if (!budget.tryCharge(src, length)) {
            counters.drop(DropReason.OVERLOADED);
            return null;
        }
        try {
            counters.signatureChecks.increment();
            Frame frame = codec.decode(buf, offset, length, OverlayCore.tag(src));
            counters.receivedType(type);
            return new Signed(src, frame, src, length, echoed);
        } catch (FrameException e) {
            budget.release(src, length);
            counters.drop(e.reason());
            log.debug("{}: dropped signed frame from {}: {}", label, src, e.getMessage());
            return null;
        }
    }

    private boolean echoes(Address src, FrameCodec.Header h, byte[] buf, int offset) {
        byte[] nonce = membership.nonceSentTo(src);
        return nonce != null && h.bodyEndsWith(buf, offset, nonce);
    }

    private Admitted admitAuthenticated(Address src, FrameCodec.Header h, byte[] buf, int offset, int length, Outcome[] outcome) {
        PeerSession session = membership.sessionAt(src);
        if (session == null) {
            outcome[0] = hold(members, src, buf, offset, length, DropReason.UNAUTHENTICATED) ? Outcome.HELD_NO_KEY : Outcome.DROPPED;
            return null;
        }
        long sequence;
        try {
            counters.macChecks.increment();
            sequence = FrameCodec.verifyMac(h, buf, offset, session.receiveKey());
        } catch (FrameException e) {
            counters.drop(e.reason());
            // The binding at this address was claimed but never proven: the real member may be behind it.
            if (!session.confirmed()) outcome[0] = Outcome.DROPPED_UNCONFIRMED;
            return null;
        }
        if (!session.acceptSequence(sequence)) {
            counters.drop(DropReason.REPLAYED);
            return null;
        }
        session.confirm();
        PeerId from = session.peer();
        if (!limiters.computeIfAbsent(from, p -> new RateLimiter(framesPerSecond, framesPerSecond, nanos.getAsLong())).tryAcquire(nanos.getAsLong())) {
            counters.drop(DropReason.RATE_LIMITED);
            return null;
        }
        if (h.type().id() < 100 && h.type().id() != OverlayMessages.CONFIRM.id()) {
            counters.drop(DropReason.UNAUTHENTICATED); // the overlay's own messages travel signed, but for Confirm
            return null;
        }
        if (!budget.tryCharge(from, length)) {
            counters.drop(DropReason.OVERLOADED);
            return null;
        }
        try {
            Object body = codec.body(h, buf, offset);
            counters.receivedType(h.type().id());
            return new Authenticated(src, from, h.type(), body, from, length);
        } catch (FrameException e) {
            budget.release(from, length);
            counters.drop(e.reason());
            log.debug("{}: dropped frame from {}: {}", label, from.shortId(), e.getMessage());
            return null;
        }
    }

    /** Releases the budget an admitted frame held. */
    void done(Admitted a) {
        budget.release(a.charge(), a.size());
    }

    /**
     * Holds a frame in a pen; a frame refused, or evicted to make room for a newcomer from an address holding
     * fewer, is counted as {@code ifFull}.
     */
    private boolean hold(HeldFrames pen, Address src, byte[] buf, int offset, int length, DropReason ifFull) {
        penLock.lock();
        try {
            boolean held = pen.add(src, java.util.Arrays.copyOfRange(buf, offset, offset + length), nanos.getAsLong(),
                    () -> counters.drop(ifFull));
            if (!held) counters.drop(ifFull);
            return held;
        } finally {
            penLock.unlock();
        }
    }

    /** Takes the held frames of {@code src}, in arrival order, to be admitted again. */
    List<byte[]> release(Address src) {
        penLock.lock();
        try {
            List<byte[]> out = new ArrayList<>(strangers.release(src));
            out.addAll(members.release(src));
            return out;
        } finally {
            penLock.unlock();
        }
    }

    /**
     * Drops (and counts {@code NOT_MEMBER}) the held frames of senders outside the view that have waited
     * {@link #HELD_NANOS}. Runs at each view change and, when the oldest held frame is due, on any frame's
     * arrival.
     */
    void expireHeld() {
        long now = nanos.getAsLong();
        penLock.lock();
        try {
            int dropped = strangers.expire(now, HELD_NANOS, a -> !membership.isMember(a))
                    + members.expire(now, HELD_NANOS, a -> !membership.isMember(a));
            for (int i = 0; i < dropped; i++) counters.drop(DropReason.NOT_MEMBER);
        } finally {
            penLock.unlock();
        }
    }

    /** Addresses with frames held. */
    Set<Address> heldFrom() {
        penLock.lock();
        try {
            Set<Address> all = new java.util.HashSet<>(strangers.addresses());
            all.addAll(members.addresses());
            return Set.copyOf(all);
        } finally {
            penLock.unlock();
        }
    }

    /** Forgets the limiters of senders that left: the maps hold current members and peers only. */
    void evict(Set<Address> members, Set<PeerId> peers) {
        signedLimiters.keySet().retainAll(members);
        echoedLimiters.keySet().retainAll(members);
        limiters.keySet().retainAll(peers);
    }

    /** Frames held: {frames, bytes}, both pens together. */
    long[] held() {
        penLock.lock();
        try {
            return new long[] {strangers.size() + members.size(), strangers.bytes() + members.bytes()};
        } finally {
            penLock.unlock();
        }
    }

    int limiterCount() {
        return limiters.size() + signedLimiters.size() + echoedLimiters.size();
    }
}

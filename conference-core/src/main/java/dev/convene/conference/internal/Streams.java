package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceStream;
import dev.convene.conference.StreamException;
import dev.convene.conference.StreamException.Reason;
import dev.convene.conference.StreamStats;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams between two participants: opening and accepting (both ends checked to be participants), the per-stream
 * keys (X25519 between the two identities' agreement keys, HKDF-SHA256 over conference, stream id, both peers and
 * direction), frames in and out, and the bounds. Frames are handled on the engine thread; reads and writes run on
 * the application's threads (see {@link StreamImpl}).
 */
final class Streams {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    static final int MAX_PER_PEER = 8;
    static final int MAX_TOTAL = 64;
    static final long OPEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final Pattern PROTOCOL = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,63}");

    /** A stream as each side names it: the other peer, the opener's id, and whether this peer opened it. */
    record Key(PeerId peer, long id, boolean mine) {
    }

    private final EngineState s;
    private final Map<Key, StreamImpl> streams = new ConcurrentHashMap<>();
    private final Map<Key, Pending> opening = new HashMap<>();
    private final Map<String, Consumer<ConferenceStream>> handlers = new ConcurrentHashMap<>();
    private final ExecutorService handlerThreads;
    final LongAdder opened = new LongAdder(), accepted = new LongAdder(), refusedNotParticipant = new LongAdder(),
            refusedOther = new LongAdder(), framesRejected = new LongAdder(), brokenByMembership = new LongAdder();

    private record Pending(StreamImpl stream, CompletableFuture<ConferenceStream> future, long since) {
    }

    Streams(EngineState s) {
        this.s = s;
        this.handlerThreads = new ThreadPoolExecutor(0, MAX_TOTAL, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "convene-" + s.label() + "-stream");
            t.setDaemon(true);
            return t;
        });
    }

    static String checkProtocol(String protocol) {
        if (protocol == null || !PROTOCOL.matcher(protocol).matches()) {
            throw new IllegalArgumentException("protocol: 1-64 of a-z 0-9 . _ / -, starting with a letter or digit");
        }
        return protocol;
    }

    void onStream(String protocol, Consumer<ConferenceStream> handler) {
        checkProtocol(protocol);
        if (handler == null) handlers.remove(protocol);
        else handlers.put(protocol, handler);
    }

    StreamStats stats() {
        return new StreamStats(opened.sum(), accepted.sum(), refusedNotParticipant.sum(), refusedOther.sum(),
                framesRejected.sum(), brokenByMembership.sum(), streams.size());
    }

    /** Whether {@code p} may hold a stream in {@code c} now: a participant of a conference that is not over. */
    private static boolean current(Conference c, PeerId p) {
        return c != null && !c.state.isOver() && c.participants().contains(p);
    }

    private long countWith(PeerId peer) {
        return streams.keySet().stream().filter(k -> k.peer().equals(peer)).count();
    }

    // ---- engine thread --------------------------------------------------------------------------------------

    CompletableFuture<ConferenceStream> open(ConferenceId id, PeerId peer, String protocol) {
        checkProtocol(protocol);
        Conference c = s.conferences.get(id);
        if (c == null) throw new ConferenceNotFoundException(id);
        if (peer.equals(s.self) || !current(c, s.self) || !current(c, peer)) throw new StreamException(peer, Reason.NOT_A_PARTICIPANT);
        PeerAdvertisement ad = s.overlay.directory().get(peer).orElse(null);
        if (ad == null || !s.overlay.directory().isOnline(peer)) throw new StreamException(peer, Reason.PEER_OFFLINE);
        if (streams.size() >= MAX_TOTAL || countWith(peer) >= MAX_PER_PEER) throw new StreamException(peer, Reason.TOO_MANY);
        long sid;
        do {
            sid = EngineState.RANDOM.nextLong();
        } while (streams.containsKey(new Key(peer, sid, true)));
        StreamImpl st = new StreamImpl(this, id, peer, protocol, sid, true, keys(ad, id, s.self, peer, sid));
        Key k = new Key(peer, sid, true);
        streams.put(k, st);
        CompletableFuture<ConferenceStream> f = new CompletableFuture<>();
        opening.put(k, new Pending(st, f, System.nanoTime()));
        send(st, StreamFrame.OPEN, 0, protocol.getBytes(StandardCharsets.US_ASCII));
        return f;
    }

    void onFrame(PeerId from, StreamFrame f) {
        Key k = new Key(from, f.stream(), !f.fromOpener());
        if (f.kind() == StreamFrame.OPEN) {
            onOpen(from, f, k);
            return;
        }
        StreamImpl st = streams.get(k);
        if (st == null || !st.conference().equals(f.conference())) {
            if (f.kind() != StreamFrame.RESET && f.kind() != StreamFrame.CREDIT) framesRejected.increment(); // late frames of a closed stream count too
            return;
        }
        switch (f.kind()) {
            case StreamFrame.ACCEPT, StreamFrame.REFUSE -> {
                Pending p = opening.remove(k);
                if (p == null) {
                    framesRejected.increment();
                    return;
                }
                if (f.kind() == StreamFrame.ACCEPT) {
                    opened.increment();
                    p.future().complete(st);
                } else {
                    Reason r = f.seq() < Reason.values().length ? Reason.values()[(int) f.seq()] : Reason.PROTOCOL;
                    streams.remove(k);
                    st.broken(r);
                    p.future().completeExceptionally(new StreamException(from, r));
                }
            }
            case StreamFrame.DATA, StreamFrame.FIN, StreamFrame.CREDIT -> {
                if (opening.containsKey(k) || !st.onFrame(f)) {
                    framesRejected.increment();
                    reset(st, Reason.PROTOCOL);
                }
            }
            case StreamFrame.RESET -> {
                streams.remove(k);
                Reason r = f.seq() < Reason.values().length ? Reason.values()[(int) f.seq()] : Reason.PROTOCOL;
                st.broken(r);
                failPending(k, r);
            }
            default -> framesRejected.increment();
        }
    }

    private void onOpen(PeerId from, StreamFrame f, Key k) {
        Conference c = s.conferences.get(f.conference());
        String protocol = new String(f.body(), StandardCharsets.US_ASCII);
        Reason refuse = null;
        if (!current(c, from) || !current(c, s.self)) {
            refuse = Reason.NOT_A_PARTICIPANT;
            refusedNotParticipant.increment();
            log.debug("{}: stream from {} refused: not a participant", s.label(), from.shortId());
        } else if (!PROTOCOL.matcher(protocol).matches() || streams.containsKey(k)) {
            framesRejected.increment();
            refuse = Reason.PROTOCOL;
        } else if (!handlers.containsKey(protocol)) {
            refuse = Reason.NO_HANDLER;
            refusedOther.increment();
        } else if (streams.size() >= MAX_TOTAL || countWith(from) >= MAX_PER_PEER) {
            refuse = Reason.TOO_MANY;
            refusedOther.increment();
        }
        PeerAdvertisement ad = s.overlay.directory().get(from).orElse(null);
        if (refuse == null && ad == null) refuse = Reason.PEER_OFFLINE;
        if (refuse != null) {
            s.overlay.send(from, new StreamFrame(f.conference(), f.stream(), false, StreamFrame.REFUSE, refuse.ordinal(), new byte[0]));
            return;
        }
        StreamImpl st = new StreamImpl(this, f.conference(), from, protocol, f.stream(), false, keys(ad, f.conference(), from, s.self, f.stream()));
        streams.put(k, st);
        accepted.increment();
        send(st, StreamFrame.ACCEPT, 0, new byte[0]);
        Consumer<ConferenceStream> h = handlers.get(protocol);
        try {
            handlerThreads.execute(() -> {
                try {
                    h.accept(st);
                } catch (RuntimeException e) {
                    log.warn("{}: stream handler failed", s.label(), e);
                    st.close();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reset(st, Reason.TOO_MANY);
        }
    }

    /** After a change of a conference: breaks its streams whose ends are no longer both participants. */
    void review(Conference c) {
        for (StreamImpl st : List.copyOf(streams.values())) {
            if (st.conference().equals(c.id) && (!current(c, s.self) || !current(c, st.peer()))) {
                brokenByMembership.increment();
                reset(st, Reason.NOT_A_PARTICIPANT);
            }
        }
    }

    /** A peer went offline: its streams break. */
    void peerLeft(PeerId peer) {
        for (Map.Entry<Key, StreamImpl> e : List.copyOf(streams.entrySet())) {
            if (e.getKey().peer().equals(peer)) {
                streams.remove(e.getKey());
                e.getValue().broken(Reason.PEER_OFFLINE);
                failPending(e.getKey(), Reason.PEER_OFFLINE);
            }
        }
    }

    /** Opens not answered in time fail. */
    void tick() {
        long now = System.nanoTime();
        for (Map.Entry<Key, Pending> e : List.copyOf(opening.entrySet())) {
            if (now - e.getValue().since() > OPEN_TIMEOUT_NANOS) reset(e.getValue().stream(), Reason.TIMEOUT);
        }
    }

    void closeAll() {
        for (StreamImpl st : List.copyOf(streams.values())) {
            try {
                reset(st, Reason.CLOSED);
            } catch (RuntimeException e) {
                st.broken(Reason.CLOSED);
            }
        }
        handlerThreads.shutdownNow();
    }

    private void failPending(Key k, Reason r) {
        Pending p = opening.remove(k);
        if (p != null) p.future().completeExceptionally(new StreamException(k.peer(), r));
    }

    /** Breaks a stream here and tells the other side. Any thread. */
    void reset(StreamImpl st, Reason r) {
        Key k = st.key();
        streams.remove(k);
        st.broken(r);
        s.events.execute(() -> failPending(k, r));
        try {
            send(st, StreamFrame.RESET, r.ordinal(), new byte[0]);
        } catch (RuntimeException e) {
            // the other side is gone: nothing to tell
        }
    }

    /** The stream ended cleanly in both directions. Any thread. */
    void finished(StreamImpl st) {
        streams.remove(st.key());
    }

    /** Queues a frame on the overlay's queue for the other peer; never blocks. Any thread. */
    void send(StreamImpl st, int kind, long seq, byte[] body) {
        s.overlay.send(st.peer(), new StreamFrame(st.conference(), st.id(), st.mine(), kind, seq, body));
    }

    boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    volatile Thread eventThread;

    // ---- keys -----------------------------------------------------------------------------------------------

    private byte[][] keys(PeerAdvertisement other, ConferenceId id, PeerId opener, PeerId acceptor, long sid) {
        return keys(s.identity, other.agreementKey(), id, opener, acceptor, sid);
    }

    /** Both directions' keys: [opener to acceptor, acceptor to opener]. */
    static byte[][] keys(dev.convene.overlay.Identity self, byte[] otherAgreementKey, ConferenceId id, PeerId opener, PeerId acceptor, long sid) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(self.agreementPrivateKey());
            ka.doPhase(dev.convene.overlay.Identity.agreementPublicKey(otherAgreementKey), true);
            byte[] shared = ka.generateSecret();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ByteBuffer.allocate(8).putLong(sid).array(), "HmacSHA256"));
            byte[] prk = mac.doFinal(shared);
            byte[][] out = new byte[2][];
            for (int dir = 0; dir < 2; dir++) {
                mac.init(new SecretKeySpec(prk, "HmacSHA256"));
                mac.update("convene stream key v1|".getBytes(StandardCharsets.US_ASCII));
                mac.update(id.value().getBytes(StandardCharsets.US_ASCII));
                mac.update(opener.value().getBytes(StandardCharsets.US_ASCII));
                mac.update(acceptor.value().getBytes(StandardCharsets.US_ASCII));
                mac.update(ByteBuffer.allocate(9).putLong(sid).put((byte) dir).array());
                mac.update((byte) 1);
                out[dir] = mac.doFinal();
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stream key derivation failed", e);
        }
    }
}

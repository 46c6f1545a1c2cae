package dev.convene.overlay.internal;

import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayException;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.MessageType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes outgoing frames: a body encoded once, then a copy per receiver sealed with that pair's next sequence
 * number and key (or signed, for the key exchange), queued in {@link OutboundQueues}. Never waits for the
 * network. Thread-safe.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final String label;
    private final Identity identity;
    private final FrameCodec codec;
    private final Presence presence;
    private final DirectoryImpl directory;
    private final OutboundQueues outbound;
    private final Counters counters;
    private final BooleanSupplier closed;
    private volatile byte[] selfTag;

    Outbox(String label, Identity identity, FrameCodec codec, Presence presence, DirectoryImpl directory, OutboundQueues outbound,
           Counters counters, BooleanSupplier closed) {
        this.label = label;
        this.identity = identity;
        this.codec = codec;
        this.presence = presence;
        this.directory = directory;
        this.outbound = outbound;
        this.counters = counters;
        this.closed = closed;
    }

    void setSelfTag(byte[] tag) {
        this.selfTag = tag.clone();
    }

    void send(PeerId to, Object message) {
        PeerSession session = presence.sessionWith(to);
        if (session == null) {
            throw new OverlayException("peer " + to.shortId() + " is not online; wait until it joins (see 'peers')");
        }
        enqueueSealed(session, unsealed(message));
    }

    /** One frame body for every receiver, sealed per pair and queued together: one drainer wakes for all of them. */
    Set<PeerId> multicast(Collection<PeerId> to, Object message) {
        List<PeerId> ids = new ArrayList<>(to.size());
        List<Address> addresses = new ArrayList<>(to.size());
        List<Supplier<byte[]>> seals = new ArrayList<>(to.size());
        byte[] frame = null;
        for (PeerId id : new LinkedHashSet<>(to)) {
            if (id.equals(identity.id())) continue;
            PeerSession session = presence.sessionWith(id);
            if (session == null) continue;
            if (frame == null) frame = unsealed(message);
            byte[] body = frame;
            ids.add(id);
            addresses.add(session.address());
            seals.add(() -> FrameCodec.seal(body, session.nextSequence(), session.sendKey()));
        }
        Set<PeerId> reached = new LinkedHashSet<>();
        if (ids.isEmpty()) return reached;
        if (closed.getAsBoolean()) throw new OverlayException("this peer has stopped; start it again to send");
        boolean[] queued = outbound.offerAll(addresses, frame.length, seals);
        for (int i = 0; i < queued.length; i++) {
            if (queued[i]) {
                counters.sent.increment();
                reached.add(ids.get(i));
            } else {
                log.debug("{}: queue for {} is full; frame dropped", label, addresses.get(i));
            }
        }
        return reached;
    }

    /** Sends a message under a given session (the overlay's own {@code Confirm}); failures are logged. */
    void sendSealed(PeerSession session, Object message) {
        try {
            enqueueSealed(session, unsealed(message));
        } catch (OverlayException e) {
            log.debug("{}: could not send {}: {}", label, message.getClass().getSimpleName(), e.getMessage());
        }
    }

    MessageType<?> requireType(Object message) {
        MessageType<?> type = codec.typeOf(message);
        if (type == null) throw new OverlayException(message.getClass().getName() + " is not a registered message type");
        return type;
    }

    private byte[] unsealed(Object message) {
        requireType(message);
        try {
            return codec.encodeUnsealed(message);
        } catch (IllegalArgumentException e) {
            throw new OverlayException(e.getMessage(), e);
        }
    }

    private boolean enqueueSealed(PeerSession session, byte[] unsealed) {
        return enqueue(session.address(), unsealed.length, () -> FrameCodec.seal(unsealed, session.nextSequence(), session.sendKey()));
    }

    /** Sends a signed frame (the key exchange) to a member; failures are logged, never thrown. Returns false if it was not queued. */
    boolean sendSigned(Address to, Object message) {
        try {
            requireType(message);
            byte[] frame = codec.encode(message, identity, selfTag);
            return enqueue(to, frame.length, () -> frame);
        } catch (OverlayException | IllegalArgumentException e) {
            log.debug("{}: could not send {} to {}: {}", label, message.getClass().getSimpleName(), to, e.getMessage());
            return false;
        }
    }

    /**
     * Sends an unauthenticated frame (an echo), unless it is longer than {@code atMost} bytes: an answer to a
     * frame nobody authenticated is never larger than that frame.
     */
    void sendUnauthenticated(Address to, Object message, int atMost) {
        try {
            requireType(message);
            byte[] frame = codec.encodeUnauthenticated(message);
            if (frame.length > atMost) {
                log.debug("{}: echo of {} bytes not sent for a frame of {}", label, frame.length, atMost);
                return;
            }
            enqueue(to, frame.length, () -> frame);
        } catch (OverlayException | IllegalArgumentException e) {
            log.debug("{}: could not send {} to {}: {}", label, message.getClass().getSimpleName(), to, e.getMessage());
        }
    }

    private boolean enqueue(Address to, int size, Supplier<byte[]> frame) {
        if (closed.getAsBoolean()) throw new OverlayException("this peer has stopped; start it again to send");
        if (outbound.offer(to, size, ignored -> frame.get())) {
            counters.sent.increment();
            return true;
        }
        log.debug("{}: queue for {} is full; frame dropped", label, to);
        return false;
    }

    // ---- for tests that play a hostile peer -------------------------------------------------------------

    void sendRaw(PeerId to, byte[] bytes) {
        Address address = directory.addressOf(to);
        if (address == null) throw new OverlayException("peer " + to.shortId() + " is not online");
        enqueue(address, bytes.length, () -> bytes);
    }

    byte[] encodeAs(Identity signer, Object message) {
        return codec.encode(message, signer, selfTag);
    }

    byte[] sealFor(PeerId to, Object message) {
        PeerSession session = requireSession(to);
        return FrameCodec.seal(unsealed(message), session.nextSequence(), session.sendKey());
    }

    byte[] sealBodyFor(PeerId to, int typeId, byte[] body) {
        PeerSession session = requireSession(to);
        return FrameCodec.sealBody(typeId, body, session.nextSequence(), session.sendKey());
    }

    byte[] senderTag() {
        return selfTag.clone();
    }

    private PeerSession requireSession(PeerId to) {
        PeerSession session = presence.sessionWith(to);
        if (session == null) throw new OverlayException("peer " + to.shortId() + " is not online");
        return session;
    }
}

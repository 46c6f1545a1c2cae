package dev.convene.conference.internal;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hostile participant for the membership model test (which lives outside this package): a {@link HostilePeer}
 * that posts as an honest author does (its next sequence, dated after its previous message, under the newest key
 * it holds) or breaks the rules on purpose: two signed messages with one sequence (equivocation), a message dated
 * before its previous one (backdating), a post under an old epoch's key after its removal. It answers nothing, so
 * what it sends reaches others only directly and through honest peers' relaying. Not thread-safe (one test thread).
 */
public final class ModelAuthor implements AutoCloseable {
    private final HostilePeer peer;
    private final Map<Integer, byte[]> keys = new TreeMap<>();
    private long sequence;
    /** The latest timestamp it used (its honest posts go after it). */
    private HlcTimestamp last;
    /** The timestamp of its latest sequence (what backdating goes before). */
    private HlcTimestamp previous;

    private ModelAuthor(HostilePeer peer) {
        this.peer = peer;
    }

    /** Joins {@code member}'s group as {@code name} and waits until it and {@code seenBy} see one another. */
    public static ModelAuthor join(ConferencePeer member, String name, Collection<ConferencePeer> seenBy) {
        return new ModelAuthor(HostilePeer.besides(member, name).awaitSeenBy(seenBy));
    }

    /** Waits until it and each of {@code peers} see one another online (after a heal, say). */
    public void awaitSeen(Collection<ConferencePeer> peers) {
        peer.awaitSeenBy(peers);
    }

    /** Its JGroups channel (to cut it off in a partition). */
    public org.jgroups.JChannel channel() {
        return dev.convene.overlay.OverlayTestHooks.core(peer.overlay()).channel();
    }

    private boolean online(ConferencePeer p) {
        return peer.overlay().directory().isOnline(p.self());
    }

    private void awaitOnline(ConferencePeer p) {
        ConferenceCluster.await(() -> online(p), () -> p.name() + " is not online for the hostile author");
    }

    public PeerId id() {
        return peer.id();
    }

    /** Accepts its invitation (once its metadata arrived), sending the signed reply to {@code members}. */
    public void accept(ConferenceId id, Collection<ConferencePeer> members) {
        peer.accept(id, members);
    }

    /** Waits until it holds the key of {@code epoch} (from its invitation or a key grant sealed to it). */
    public void awaitKey(ConferenceId id, int epoch) {
        ConferenceCluster.await(() -> {
            if (keys.isEmpty()) keys.put(0, peer.contentKey(id));
            for (KeyGrant g : peer.grants(id)) {
                if (g.recipient().equals(peer.id()) && !keys.containsKey(g.epoch())) peer.open(g).ifPresent(k -> keys.put(g.epoch(), k));
            }
            return keys.containsKey(epoch);
        }, () -> "the hostile author never got the key of epoch " + epoch + " (holds " + keys.keySet() + ")");
    }

    private int newest() {
        return ((TreeMap<Integer, byte[]>) keys).lastKey();
    }

    private HlcTimestamp next() {
        HlcTimestamp now = peer.now();
        last = last == null || now.compareTo(last) > 0 ? now : new HlcTimestamp(last.wallMillis() + 1, 0);
        return last;
    }

    /** Sends to those of {@code to} online for it (the others get it later from peers that relay it). */
    private MessageId send(ConferenceId id, Collection<ConferencePeer> to, ChatMessage m) {
        previous = m.timestamp();
        peer.send(to.stream().filter(this::online).toList(), m);
        return m.id();
    }

    /** An honest post: its next sequence, dated after everything it sent, under the newest key it holds. */
    public MessageId say(ConferenceId id, String text, Collection<ConferencePeer> to) {
        int epoch = newest();
        return send(id, to, peer.post(id, ++sequence, next(), epoch, keys.get(epoch), text));
    }

    /**
     * Two different signed messages with one sequence: {@code a} to {@code toA} (but the witness), and both, as one
     * batch, to {@code witness}, which so holds the proof whatever it had held before. Returns the sequence's id
     * (neither version may be shown anywhere once a peer holds both).
     */
    public MessageId equivocate(ConferenceId id, String a, Collection<ConferencePeer> toA, String b, ConferencePeer witness) {
        int epoch = newest();
        long seq = ++sequence;
        HlcTimestamp at = next();
        ChatMessage first = peer.post(id, seq, at, epoch, keys.get(epoch), a);
        ChatMessage second = peer.post(id, seq, at, epoch, keys.get(epoch), b);
        previous = at;
        awaitOnline(witness);
        peer.send(toA.stream().filter(p -> !p.equals(witness) && online(p)).toList(), first);
        peer.send(witness, new ChatBatch(id, List.of(first, second), false));
        return first.id();
    }

    /**
     * Two different signed messages with one sequence, no peer receiving both: {@code a} to {@code toA} (but the
     * witness), {@code b} to {@code witness} alone. The holders notice during anti-entropy (digest tips).
     */
    public MessageId split(ConferenceId id, String a, Collection<ConferencePeer> toA, String b, ConferencePeer witness) {
        int epoch = newest();
        long seq = ++sequence;
        HlcTimestamp at = next();
        ChatMessage first = peer.post(id, seq, at, epoch, keys.get(epoch), a);
        previous = at;
        awaitOnline(witness);
        peer.send(toA.stream().filter(p -> !p.equals(witness) && online(p)).toList(), first);
        peer.send(witness, peer.post(id, seq, at, epoch, keys.get(epoch), b));
        return first.id();
    }

    /** Waits until {@code from} acknowledged its messages up to {@code sequence} (it settled them, shown or not). */
    public void awaitAck(ConferenceId id, ConferencePeer from, long sequence) {
        ConferenceCluster.await(() -> peer.received(ChatAck.class, from).stream()
                .anyMatch(a -> a.conference().equals(id) && a.sequence() >= sequence), () -> from.name() + " never acknowledged "
                + peer.id().shortId() + " up to " + sequence + " (acks: " + peer.received(ChatAck.class, from) + ")");
    }

    /**
     * Its next sequence dated before its previous sequence's message (at least one earlier post needed; returns null
     * without one): backdated, never shown. Its later honest posts are dated after everything it sent again.
     */
    public MessageId backdate(ConferenceId id, String text, Collection<ConferencePeer> to) {
        if (previous == null) return null;
        int epoch = newest();
        HlcTimestamp before = new HlcTimestamp(previous.wallMillis() - 1_000, 0);
        return send(id, to, peer.post(id, ++sequence, before, epoch, keys.get(epoch), text));
    }

    /** Its next sequence under the key of epoch 0 (old once anyone was removed), dated now. */
    public MessageId stale(ConferenceId id, String text, Collection<ConferencePeer> to) {
        if (keys.isEmpty()) keys.put(0, peer.contentKey(id));
        return send(id, to, peer.post(id, ++sequence, next(), 0, keys.get(0), text));
    }

    /** The epochs whose keys it holds. */
    public List<Integer> epochs() {
        return List.copyOf(keys.keySet());
    }

    @Override
    public void close() {
        peer.close();
    }
}

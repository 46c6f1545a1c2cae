package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.Overlay;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.MessageType;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A hostile peer for attack tests: a bare overlay in the group of a {@link ConferenceCluster} that speaks the
 * conference protocol by hand. It records every frame it receives and sends whatever protocol record a test
 * builds, signed with its own key: replays, forgeries, floods. It never answers anything by itself (no
 * acknowledgements, no history). Invited to a conference it holds what any invitee holds (the signed
 * context, every invitation, the content key sealed to it), which is what a malicious participant starts
 * from. Thread-safe.
 */
final class HostilePeer implements AutoCloseable {
    /** A frame it received: the verified sender and the decoded message. */
    record Received(PeerId from, Object message) {
    }

    private final Identity identity;
    private final Overlay overlay;
    private final Clock clock;
    private final List<Received> received;

    private HostilePeer(Identity identity, Overlay overlay, Clock clock, List<Received> received) {
        this.identity = identity;
        this.overlay = overlay;
        this.clock = clock;
        this.received = received;
    }

    /** The config of a new peer in {@code member}'s group (same mode, cluster, ports and timings), customised. */
    static OverlayConfig configBesides(ConferencePeer member, String name, UnaryOperator<OverlayConfig.Builder> customize) {
        OverlayConfig c = member.overlay().config();
        return customize.apply(OverlayConfig.builder(name).mode(c.mode()).cluster(c.cluster()).bindAddress(c.bindAddress())
                .port(c.port()).portRange(c.portRange()).timings(c.timings()).clock(c.clock())).build();
    }

    /** Joins {@code member}'s group as {@code name}, with a fresh key. */
    static HostilePeer besides(ConferencePeer member, String name) {
        return besides(member, name, Identity.generate());
    }

    /** Joins {@code member}'s group as {@code name}, with the given key. */
    static HostilePeer besides(ConferencePeer member, String name, Identity identity) {
        return besides(member, name, identity, List.of());
    }

    /**
     * Joins with the given key, speaking {@code replacing} in place of the protocol's types with the same ids
     * (e.g. {@link HostileBytes#RAW_META} to send metadata the real records cannot hold).
     */
    static HostilePeer besides(ConferencePeer member, String name, Identity identity, List<MessageType<?>> replacing) {
        OverlayConfig config = configBesides(member, name, b -> b);
        List<Received> received = new CopyOnWriteArrayList<>();
        Overlay.Builder b = Overlay.builder(config, identity);
        for (MessageType<?> t : Protocol.types()) {
            if (replacing.stream().noneMatch(r -> r.id() == t.id())) b = record(b, t, received);
        }
        for (MessageType<?> t : replacing) b = record(b, t, received);
        return new HostilePeer(identity, b.start(), config.clock(), received);
    }

    private static <T> Overlay.Builder record(Overlay.Builder b, MessageType<T> type, List<Received> into) {
        return b.handle(type, (from, m) -> into.add(new Received(from, m)));
    }

    /** Waits until it and each of {@code peers} see one another online. */
    HostilePeer awaitSeenBy(Collection<ConferencePeer> peers) {
        for (ConferencePeer p : peers) {
            ConferenceCluster.await(() -> p.directory().isOnline(id()) && overlay.directory().isOnline(p.self()),
                    () -> p.name() + " and " + id().shortId() + " do not see each other");
        }
        return this;
    }

    PeerId id() {
        return identity.id();
    }

    Identity identity() {
        return identity;
    }

    Overlay overlay() {
        return overlay;
    }

    /** Sends a protocol record, signed as a frame by this peer's key. */
    void send(ConferencePeer to, Object message) {
        overlay.send(to.self(), message);
    }

    void send(Collection<ConferencePeer> to, Object message) {
        to.forEach(p -> send(p, message));
    }

    /**
     * Sends {@code message} {@code times} times, each as its own authenticated frame (the overlay refuses a frame
     * sent again as a replay, so a flood that passes the gate must be made of new frames; each costs the flooder
     * one MAC, nothing public-key).
     */
    void flood(ConferencePeer to, Object message, int times) {
        for (int i = 0; i < times; i++) overlay.send(to.self(), message);
    }

    /**
     * Sends something {@code victim} must refuse (a history request for a conference that does not exist): once
     * its {@link DropReason#REJECTED} count covers it, everything sent before it has been handled (each sender's
     * frames are handled in order).
     */
    void probe(ConferencePeer victim) {
        send(victim, new ChatDigest(ConferenceId.random(), Map.of()));
    }

    /** What it received of one type, in order. */
    <T> List<T> received(Class<T> type) {
        return received.stream().map(Received::message).filter(type::isInstance).map(type::cast).toList();
    }

    /** What it received of one type from one peer, in order. */
    <T> List<T> received(Class<T> type, ConferencePeer from) {
        return received.stream().filter(r -> r.from().equals(from.self())).map(Received::message).filter(type::isInstance)
                .map(type::cast).toList();
    }

    /** Waits for a message of {@code type} that matches, and returns the first. */
    <T> T await(Class<T> type, Predicate<T> matches, String what) {
        ConferenceCluster.await(() -> received(type).stream().anyMatch(matches), () -> id().shortId() + " never received " + what);
        return received(type).stream().filter(matches).findFirst().orElseThrow();
    }

    /** Waits for the first message of {@code type} from {@code from}, and returns it. */
    <T> T await(Class<T> type, ConferencePeer from, String what) {
        ConferenceCluster.await(() -> !received(type, from).isEmpty(), () -> id().shortId() + " never received " + what);
        return received(type, from).get(0);
    }

    /** The newest metadata of a conference it received (waits for one). */
    Meta meta(ConferenceId id) {
        await(Meta.class, m -> m.context().context().id().equals(id), "metadata of " + id.shortId());
        List<Meta> all = received(Meta.class).stream().filter(m -> m.context().context().id().equals(id)).toList();
        return all.get(all.size() - 1);
    }

    /** The signed invitation of {@code invitee} to a conference, from any metadata it received (waits for it). */
    Invitation invitation(ConferenceId id, PeerId invitee) {
        Meta m = await(Meta.class, x -> find(x, id, invitee).isPresent(), "the invitation of " + invitee.shortId());
        return find(m, id, invitee).orElseThrow();
    }

    private static Optional<Invitation> find(Meta m, ConferenceId id, PeerId invitee) {
        return m.invitations().stream().filter(i -> i.conference().equals(id) && i.invitee().equals(invitee)).findFirst();
    }

    /** The content key of epoch 0, opened from its own invitation, as any invitee can. */
    byte[] contentKey(ConferenceId id) {
        Invitation own = invitation(id, id());
        try {
            return ContentCrypto.open(own.sealedKey(), identity.agreementPrivateKey(), Fixtures.sealContext(id, id()));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("its own invitation does not open", e);
        }
    }

    /** Every key grant it received for a conference, whoever it was sealed to. */
    List<KeyGrant> grants(ConferenceId id) {
        return received(Meta.class).stream().flatMap(m -> m.grants().stream()).filter(g -> g.conference().equals(id)).distinct().toList();
    }

    /** Tries to open a grant with its own private key. */
    Optional<byte[]> open(KeyGrant grant) {
        try {
            return Optional.of(ContentCrypto.open(grant.sealedKey(), identity.agreementPrivateKey(), Fixtures.sealContext(grant.conference(), id())));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** Accepts its invitation the way an honest invitee does: a signed reply, in metadata sent to {@code members}. */
    void accept(ConferenceId id, Collection<ConferencePeer> members) {
        Reply reply = Fixtures.reply(identity, id, Answer.ACCEPT, "", 1, clock.instant());
        send(members, new Meta(meta(id).context(), List.of(), List.of(reply), null));
    }

    /** A timestamp of now by the cluster's clock. */
    HlcTimestamp now() {
        return new HlcTimestamp(clock.instant().toEpochMilli(), 0);
    }

    /** Its own chat message, signed and encrypted as an honest author's. */
    ChatMessage post(ConferenceId id, long sequence, HlcTimestamp at, int epoch, byte[] key, String text) {
        return Fixtures.chat(identity, id(), id, sequence, at, epoch, key, text);
    }

    /** The REJECTED count of a peer. */
    static long rejected(ConferencePeer p) {
        return p.overlay().stats().drops(DropReason.REJECTED);
    }

    @Override
    public void close() {
        overlay.close();
    }
}

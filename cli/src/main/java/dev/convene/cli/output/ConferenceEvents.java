package dev.convene.cli.output;

import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FileOffer;
import dev.convene.overlay.PeerId;
import dev.convene.conference.BuiltInEvents;
import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.MessageId;
import dev.convene.conference.Reaction;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns the conference peer's callbacks into events ({@code invitation}, {@code reply},
 * {@code conference-started}, {@code conference-rescheduled}, {@code conference-ended}, {@code message}, {@code delivered}, {@code retracted}, {@code reaction}, {@code message-edited}, {@code message-deleted}, {@code file-offered}, {@code participant-joined},
 * {@code participant-left}) through the session's {@link EventGate}, which holds them until {@code ready}
 * and wakes waiting commands after each.
 *
 * <p>Callbacks run on the conference peer's callback thread, one at a time. Names come from the peer's
 * directory once {@link #attach attached}; before that (only in the first instants) a short id stands in.
 */
public final class ConferenceEvents implements ConferenceListener {
    /** People find peers by name; the id breaks ties between equal names. */
    static final Comparator<PeerRef> BY_NAME = Comparator.comparing(PeerRef::name, String.CASE_INSENSITIVE_ORDER).thenComparing(PeerRef::id);

    /**
     * How long a sender waits for another participant to confirm storing a message before it counts as
     * pending: {@code say} waits that long, and a {@code delivered} event that comes later is {@code late}.
     */
    public static final Duration ACK_WAIT = Duration.ofSeconds(2);

    private final EventGate gate;
    private final CatchUpOrder order;
    private volatile ConferencePeer peer;

    public ConferenceEvents(EventGate gate) {
        this.gate = gate;
        this.order = new CatchUpOrder(this::publish, java.time.Clock.systemUTC());
    }

    /** Lets out messages held for ordering; no more are held after. */
    public void close() {
        order.close();
    }

    /** The peer these events come from, for names. */
    public void attach(ConferencePeer peer) {
        this.peer = peer;
        if (peer != null) peer.onEvent(BuiltInEvents.REACTION, this::reaction);
    }

    /** A participant reacted to a message, or withdrew a reaction: a {@code reaction} event. */
    private void reaction(ConferenceEvent<Reaction> e) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(e.conference()).map(ConferenceView::title).orElse("");
        Reaction r = e.value();
        gate.publish(new Event.Reaction(e.conference().value(), title, messageId(r.to()), ref(p, r.to()), ref(e.author()), r.emoji(), r.added(),
                p != null && e.author().equals(p.self())));
    }

    @Override
    public void invitation(ConferenceView v, PeerId inviter) {
        ConferenceContext c = v.context();
        gate.publish(new Event.Invitation(c.id().value(), c.id().value(), c.title(), c.agenda(), ref(c.organiser()),
                c.start().toString(), c.duration().toString(), c.end().toString(), v.invitees().stream().map(this::ref).sorted(BY_NAME).toList(),
                c.createdAt().toString(), c.version(), c.participantsMayInvite(), ref(inviter)));
    }

    @Override
    public void reply(ConferenceView v, PeerId from, Answer answer, String reason) {
        gate.publish(new Event.Reply(v.id().value(), v.title(), ref(from), answer.label(), reason));
    }

    @Override
    public void started(ConferenceView v) {
        gate.publish(new Event.ConferenceStarted(v.id().value(), v.title(), ref(v.context().organiser()),
                v.context().start().toString(), v.context().end().toString()));
    }

    @Override
    public void rescheduled(ConferenceView before, ConferenceView after) {
        ConferenceContext c = after.context();
        gate.publish(new Event.ConferenceRescheduled(c.id().value(), c.title(), c.start().toString(), c.duration().toString(),
                c.end().toString(), before.context().start().toString(), before.context().end().toString()));
    }

    @Override
    public void ended(ConferenceView v) {
        gate.publish(new Event.ConferenceEnded(v.id().value(), v.title(), ref(v.context().organiser()), ConferenceInfo.lower(v.state())));
    }

    /** A message, shown in history order if it came by catch-up ({@link CatchUpOrder}). */
    @Override
    public void message(ChatEntry m) {
        order.accept(m);
    }

    private void publish(ChatEntry m) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        gate.publish(message(m, title));
    }

    @Override
    public void delivered(ChatEntry m) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        boolean late = Duration.between(m.sentAt(), java.time.Instant.now()).compareTo(ACK_WAIT) >= 0;
        gate.publish(new Event.Delivered(m.conference().value(), title, messageId(m), m.id().sequence(), Event.Delivered.ONE, late));
    }

    @Override
    public void deliveredToAll(ChatEntry m) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        gate.publish(new Event.Delivered(m.conference().value(), title, messageId(m), m.id().sequence(), Event.Delivered.ALL, false));
    }

    @Override
    public void retracted(ChatEntry m, String reason) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        gate.publish(new Event.Retracted(m.conference().value(), title, messageId(m), m.id().sequence(),
                new PeerRef(m.author().value(), m.authorName()), reason));
    }

    @Override
    public void edited(ChatEntry m) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        gate.publish(new Event.MessageEdited(m.conference().value(), title, messageId(m), m.id().sequence(),
                new PeerRef(m.author().value(), m.authorName()), m.text(), m.sentAt().toString()));
    }

    @Override
    public void deleted(ChatEntry m) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(m.conference()).map(ConferenceView::title).orElse("");
        gate.publish(new Event.MessageDeleted(m.conference().value(), title, messageId(m), m.id().sequence(),
                new PeerRef(m.author().value(), m.authorName()), p != null && m.author().equals(p.self())));
    }

    @Override
    public void participantJoined(ConferenceView v, PeerId who, String reason) {
        gate.publish(new Event.ParticipantJoined(v.id().value(), v.title(), ref(who), reason));
    }

    @Override
    public void participantLeft(ConferenceView v, PeerId who, String reason) {
        gate.publish(new Event.ParticipantLeft(v.id().value(), v.title(), ref(who), leftReason(reason)));
    }

    /** A file was offered: a {@code file-offered} event, with what {@code fetch} takes for it. */
    @Override
    public void fileOffered(FileOffer offer) {
        ConferencePeer p = peer;
        String title = p == null ? "" : p.conference(offer.conference()).map(ConferenceView::title).orElse("");
        gate.publish(fileOffered(p, offer, title));
    }

    /** The {@code file-offered} event of an offer; {@code fetchAs} is its reference if another offer has its name. */
    static Event.FileOffered fileOffered(ConferencePeer p, FileOffer offer, String title) {
        boolean clash = p != null && p.files(offer.conference()).stream().anyMatch(o -> !o.id().equals(offer.id()) && o.name().equals(offer.name()));
        String fetchAs = clash ? ref(p, offer.id()) : offer.name();
        return new Event.FileOffered(offer.conference().value(), title, messageId(offer.id()), fetchAs, offer.name(), offer.size(),
                offer.sha256(), p == null ? new PeerRef(offer.sharer().value(), offer.sharer().shortId()) : PeerRef.of(p, offer.sharer()),
                offer.sharedAt().toString());
    }

    /**
     * The reason as the events document it: {@code offline}, {@code left}, {@code declined} or {@code removed}.
     * The conference peer gives the member's latest answer; a member whose latest answer is still
     * {@code accept} can only have stopped taking part by being removed.
     */
    static String leftReason(String reason) {
        if (reason.equals(Answer.LEAVE.label())) return "left";
        if (reason.equals(Answer.DECLINE.label())) return "declined";
        if (reason.equals(Answer.ACCEPT.label())) return "removed";
        return reason;
    }

    /** The {@code message} event of a chat entry. */
    static Event.Message message(ChatEntry m, String title, PeerRef from, ConferencePeer peer) {
        return new Event.Message(m.conference().value(), title, messageId(m), m.id().sequence(), from, m.text(),
                m.sentAt().toString(), m.pending(), m.replyTo().map(ConferenceEvents::messageId).orElse(null),
                m.replyTo().map(to -> ref(peer, to)).orElse(null), mentions(m, peer), mentioned(m, peer));
    }

    private Event.Message message(ChatEntry m, String title) {
        return message(m, title, new PeerRef(m.author().value(), m.authorName()), peer);
    }

    /** A chat line of {@code history}, without reactions. */
    public static Event.ChatLine line(ChatEntry m, ConferencePeer peer) {
        return line(m, peer, java.util.Map.of());
    }

    /** A chat line of {@code history} with the reactions to it ({@link #reactions}). */
    public static Event.ChatLine line(ChatEntry m, ConferencePeer peer, java.util.Map<String, ? extends java.util.Set<PeerId>> reactions) {
        List<Event.ReactionCount> counts = reactions.entrySet().stream()
                .map(e -> new Event.ReactionCount(e.getKey(), e.getValue().size())).toList();
        return new Event.ChatLine(messageId(m), m.id().sequence(), new PeerRef(m.author().value(), m.authorName()), m.deleted() ? null : m.text(),
                m.sentAt().toString(), m.pending(), m.replyTo().map(ConferenceEvents::messageId).orElse(null),
                m.replyTo().map(to -> ref(peer, to)).orElse(null), counts, m.edited(), m.deleted(), mentions(m, peer), mentioned(m, peer));
    }

    /** The participants a message mentions, with their names as known here. */
    static List<PeerRef> mentions(ChatEntry m, ConferencePeer peer) {
        return m.mentions().stream().map(p -> peer == null ? new PeerRef(p.value(), p.shortId()) : PeerRef.of(peer, p)).toList();
    }

    /** Whether a message from another peer mentions this one. */
    static boolean mentioned(ChatEntry m, ConferencePeer peer) {
        return peer != null && !m.author().equals(peer.self()) && m.mentions().contains(peer.self());
    }

    /**
     * The reactions to every message of a conference at once, as {@link ConferencePeer#reactions} gives them for one
     * (each emoji in the canonical order of its first reaction, the peers whose latest event with it adds it).
     */
    public static Map<MessageId, Map<String, SortedSet<PeerId>>> reactions(ConferencePeer peer, ConferenceId conference) {
        Map<MessageId, Map<String, SortedSet<PeerId>>> out = new HashMap<>();
        for (ConferenceEvent<Reaction> e : peer.events(conference, BuiltInEvents.REACTION)) {
            Reaction r = e.value();
            Map<String, SortedSet<PeerId>> of = out.computeIfAbsent(r.to(), k -> new LinkedHashMap<>());
            if (r.added()) {
                of.computeIfAbsent(r.emoji(), k -> new TreeSet<>()).add(e.author());
            } else {
                SortedSet<PeerId> peers = of.get(r.emoji());
                if (peers != null) peers.remove(e.author());
            }
        }
        out.values().forEach(m -> m.values().removeIf(java.util.Set::isEmpty));
        return out;
    }

    /** {@code AUTHOR-ID:SEQUENCE}, with the whole author id: unique, unlike what people see. */
    public static String messageId(ChatEntry m) {
        return messageId(m.id());
    }

    /** {@code AUTHOR-ID:SEQUENCE} of a message id. */
    public static String messageId(MessageId id) {
        return id.author().value() + ":" + id.sequence();
    }

    /** {@code NAME#SEQUENCE}: a message as people name it (the author's name as known here, or its short id). */
    public static String ref(ConferencePeer peer, MessageId id) {
        String name = peer == null ? id.author().shortId() : PeerView.name(peer, id.author());
        return name + "#" + id.sequence();
    }

    private PeerRef ref(PeerId id) {
        ConferencePeer p = peer;
        return p == null ? new PeerRef(id.value(), id.shortId()) : PeerRef.of(p, id);
    }
}

package dev.convene.cli.output;

import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.conference.Answer;
import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.Comparator;

/**
 * Turns the conference peer's callbacks into events ({@code invitation}, {@code reply},
 * {@code conference-started}, {@code conference-rescheduled}, {@code conference-ended}, {@code message}, {@code delivered}, {@code retracted}, {@code participant-joined},
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
    public void participantJoined(ConferenceView v, PeerId who, String reason) {
        gate.publish(new Event.ParticipantJoined(v.id().value(), v.title(), ref(who), reason));
    }

    @Override
    public void participantLeft(ConferenceView v, PeerId who, String reason) {
        gate.publish(new Event.ParticipantLeft(v.id().value(), v.title(), ref(who), leftReason(reason)));
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
    static Event.Message message(ChatEntry m, String title, PeerRef from) {
        return new Event.Message(m.conference().value(), title, messageId(m), m.id().sequence(), from, m.text(),
                m.sentAt().toString(), m.pending());
    }

    private Event.Message message(ChatEntry m, String title) {
        return message(m, title, new PeerRef(m.author().value(), m.authorName()));
    }

    /** A chat line of {@code history}. */
    public static Event.ChatLine line(ChatEntry m) {
        return new Event.ChatLine(messageId(m), m.id().sequence(), new PeerRef(m.author().value(), m.authorName()), m.text(),
                m.sentAt().toString(), m.pending());
    }

    /** {@code AUTHOR-ID:SEQUENCE}, with the whole author id: unique, unlike what people see. */
    public static String messageId(ChatEntry m) {
        return m.author().value() + ":" + m.id().sequence();
    }

    private PeerRef ref(PeerId id) {
        ConferencePeer p = peer;
        return p == null ? new PeerRef(id.value(), id.shortId()) : PeerRef.of(p, id);
    }
}

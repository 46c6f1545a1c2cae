package dev.convene.conference.internal;

import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A conference's state moving with the clock and its records, and what listeners hear of it after a change: state, joins and leaves, the published view. Engine thread. */
final class StateChanges {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Dispatch dispatch;
    private final Persistence persistence;

    StateChanges(EngineState s, Dispatch dispatch, Persistence persistence) {
        this.s = s;
        this.dispatch = dispatch;
        this.persistence = persistence;
    }

    void refreshState(Conference c) {
        ConferenceState next = c.stateAt(s.clock.instant());
        // A cancellation (an end dated before the start) that reaches a peer where the conference is already
        // live, through clock skew or a healed partition, ends it: LIVE cannot become CANCELLED.
        if (c.state == ConferenceState.LIVE && next == ConferenceState.CANCELLED) next = ConferenceState.ENDED;
        if (next == c.state) return;
        if (!c.state.canMoveTo(next)) return; // e.g. an end notice that arrived for an already-ended conference
        c.state = c.state.moveTo(next);
        log.info("{}: {} is now {}", s.label(), c.id.shortId(), next);
        ConferenceView v = c.view(s.self);
        s.views.put(c.id, v);
        if (next == ConferenceState.LIVE) dispatch.fire(l -> l.started(v));
        else dispatch.fire(l -> l.ended(v));
    }

    /** After metadata changed: state, participant diff events, published view. */
    void afterChange(Conference c) {
        persistence.persist(c);
        // Order for listeners: what arrived (invitation, replies), then the state it leads to, then who joined
        // or left: an invitee hears of its invitation before it hears that the conference started.
        s.publish(c);
        dispatch.flushPendingEvents(c, s.views.get(c.id));
        refreshState(c);
        Set<PeerId> now = c.participants();
        Set<PeerId> before = c.lastParticipants;
        c.lastParticipants = now;
        s.publish(c);
        ConferenceView v = s.views.get(c.id);
        for (PeerId p : now) {
            if (!before.contains(p)) dispatch.fire(l -> l.participantJoined(v, p, "accepted"));
        }
        for (PeerId p : before) {
            if (!now.contains(p)) {
                String why = c.removals.containsKey(p) ? "removed"
                        : c.replies.containsKey(p) ? c.replies.get(p).answer().label() : "left";
                dispatch.fire(l -> l.participantLeft(v, p, why));
            }
        }
        s.changed.accept(c);
    }
}

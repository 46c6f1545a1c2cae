package dev.convene.conference.internal;

import dev.convene.conference.ConferenceContext;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * How many conferences others may make this peer hold before it has said yes or no to them: a peer that
 * invites this one to thousands of conferences (each up to a full context and metadata) must not fill its
 * memory and store. Counted are conferences organised by another peer, not over, and not yet answered here;
 * an answer (or the end) frees the slot. A new conference must also start within {@link #MAX_AHEAD} of now, so
 * every unanswered one is over, and frees its slot, within that horizon plus its duration; a standing room has
 * no end, so its slot is freed only by an answer, its end notice or a ban. Conferences of a banned organiser do
 * not count (a ban frees their slots).
 */
final class ForeignConferences {
    static final int PER_ORGANISER = 32;
    static final int TOTAL = 512;
    static final Duration MAX_AHEAD = Duration.ofDays(366);

    private ForeignConferences() {
    }

    /** Why a new conference from another organiser is refused here, or null if it may be taken in. */
    static String refusal(Collection<Conference> held, PeerId self, java.util.Set<PeerId> banned, ConferenceContext incoming,
                          Instant now) {
        if (incoming.organiser().equals(self)) return null;
        if (incoming.start().isAfter(now.plus(MAX_AHEAD))) return "starts more than " + MAX_AHEAD.toDays() + " days ahead";
        int fromOrganiser = 0;
        int total = 0;
        for (Conference c : held) {
            if (c.organiser().equals(self) || c.state.isOver() || c.replies.containsKey(self) || banned.contains(c.organiser())) continue;
            total++;
            if (c.organiser().equals(incoming.organiser())) fromOrganiser++;
        }
        if (fromOrganiser >= PER_ORGANISER) return fromOrganiser + " unanswered conferences from this organiser (expected: < " + PER_ORGANISER + ")";
        if (total >= TOTAL) return total + " unanswered conferences in all (expected: < " + TOTAL + ")";
        return null;
    }
}

package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.time.Instant;

/**
 * The validity rule for chat, decided by the signed membership history of a conference rather than by who is a
 * participant now. A pure function of the records a peer holds, so every peer holding the same records reaches
 * the same verdict, whatever order they arrived in:
 *
 * <ul>
 *   <li>An author's participation is a set of ranges of its own sequence numbers. The organiser starts
 *       admitted; an invitee starts outside. Each signed answer, by revision, carries the author's last
 *       sequence when it answered: an accept admits the sequences after it, a decline or leave ends the
 *       range at it. A removal (organiser-signed) ends it for good at {@link Removal#upTo()}, the removed
 *       peer's last sequence the organiser held.</li>
 *   <li>A message whose sequence lies in an admitted range is valid by membership; in a closed range that a
 *       later answer bounds, or beyond a removal, it is invalid for ever; beyond the newest answer when that
 *       is not an accept, undecided (a later answer may admit it).</li>
 *   <li>Independently of the author: a message under the key of an epoch older than a removal's new epoch and
 *       dated (HLC) after that removal is invalid (it would be readable by the removed peer); a message dated
 *       more than {@link ConferenceEngine#MAX_FUTURE} before the start or after the end is invalid.</li>
 * </ul>
 *
 * Sequences rather than clocks order an author's own answers and messages: they are the author's own causal
 * order, cannot be skewed, and an honest author's closed ranges are empty (it cannot post while out).
 */
final class Membership {
    private Membership() {
    }

    /** Where one sequence number of an author stands. */
    enum Standing {
        /** Within an admitted range. */
        IN,
        /** Within a closed range bounded by a later answer, or beyond a removal: never valid. */
        OUT,
        /** Beyond the author's newest known answer, which is not an accept: a later answer may decide it. */
        UNDECIDED
    }

    /**
     * Where {@code sequence} of {@code author} stands; for {@link Standing#OUT} in a bounded range,
     * {@link #settledThrough} tells how far the closed range reaches.
     */
    static Standing standing(Conference c, PeerId author, long sequence) {
        Removal removal = c.removals.get(author);
        if (removal != null && sequence > removal.upTo()) return Standing.OUT;
        boolean open = author.equals(c.organiser());
        long from = 0;
        int expected = 1;
        for (Reply r : c.repliesOf(author)) {
            if (r.revision() != expected++) break; // a revision missing here: what follows is not known yet
            long boundary = Math.max(from, r.sequence());
            if (sequence <= boundary) return open ? Standing.IN : Standing.OUT;
            open = r.answer() == Answer.ACCEPT;
            from = boundary;
        }
        if (open) return Standing.IN;
        return removal != null ? Standing.OUT : Standing.UNDECIDED;
    }

    /**
     * For a sequence that is {@link Standing#OUT}: the last sequence of the same closed range (every sequence up
     * to it is out too), or {@link Long#MAX_VALUE} when the range never closes (a removal).
     */
    static long settledThrough(Conference c, PeerId author, long sequence) {
        Removal removal = c.removals.get(author);
        if (removal != null && sequence > removal.upTo()) return Long.MAX_VALUE;
        boolean open = author.equals(c.organiser());
        long from = 0;
        int expected = 1;
        for (Reply r : c.repliesOf(author)) {
            if (r.revision() != expected++) break;
            long boundary = Math.max(from, r.sequence());
            if (sequence <= boundary) return open ? sequence - 1 : boundary;
            open = r.answer() == Answer.ACCEPT;
            from = boundary;
        }
        return removal != null ? removal.upTo() : sequence - 1;
    }

    /** The verdict on a held message whose author's signature verified. */
    enum Verdict {
        VALID, INVALID, UNDECIDED
    }

    static Verdict verdict(Conference c, ChatMessage m, Duration skew) {
        Instant at = m.timestamp().instant();
        if (at.isBefore(c.earliestMessage().minus(skew))) return Verdict.INVALID;
        Instant end = c.over();
        if (at.isAfter(end.plus(skew))) return Verdict.INVALID;
        if (readableByRemoved(c, m)) return Verdict.INVALID;
        return switch (standing(c, m.author(), m.sequence())) {
            case IN -> Verdict.VALID;
            case OUT -> Verdict.INVALID;
            case UNDECIDED -> Verdict.UNDECIDED;
        };
    }

    /** Sent under a key a removed peer holds, dated after its removal. */
    static boolean readableByRemoved(Conference c, ChatMessage m) {
        Instant at = m.timestamp().instant();
        for (Removal r : c.removals.values()) {
            if (m.keyEpoch() < r.newEpoch() && at.isAfter(r.at())) return true;
        }
        return false;
    }

    /** Whether {@code peer} may post now: its own next sequence would be valid by membership. */
    static boolean mayPost(Conference c, PeerId peer, long nextSequence) {
        return standing(c, peer, nextSequence) == Standing.IN && c.isParticipant(peer);
    }
}

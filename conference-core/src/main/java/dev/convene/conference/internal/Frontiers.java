package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Anti-backdating (docs/SECURITY.md 2.7, docs/PROTOCOL.md "Frontier"). Every chat message carries, signed, its
 * author's {@link Frontier}: the latest message in canonical order the author had delivered when it posted. A
 * message is <em>backdated</em>, and settled unshown at every peer, when
 * <ol>
 *   <li>its timestamp is smaller than its author's previous message's (sequence − 1), or</li>
 *   <li>its frontier is older (canonical order) than its author's previous message's frontier, or it has none
 *       where the previous one had one (an author cannot un-see), or</li>
 *   <li>its timestamp is not greater than its frontier's timestamp, or</li>
 *   <li>its frontier names a message whose signed timestamp differs from the one claimed, or a later message of
 *       its own author.</li>
 * </ol>
 * Every input is signed data every participant eventually holds, so the verdict is the same everywhere. A
 * previous message or a named message that is invalid by membership (held, or refused on arrival as outside its
 * author's membership), or that this peer can never hold (its sequence was settled without it, or its author is
 * banned here), is not compared (rules 1, 2 and 4 then trust
 * the claim). A named message not held yet makes the verdict wait (the author's later messages wait behind it,
 * bounded by the gap limit) until catch-up brings it.
 *
 * <p>Under-reporting (naming an older message than the latest seen, or none) cannot be refused from a message's own
 * signed data; it is refused when it contradicts a signed receipt of its author ({@link Receipts}), and
 * {@link #next} never reports a frontier older than this peer's own latest receipt. Without a receipt, what this
 * peer can see of it — its own message acknowledged by an author, who then posts directly to it with an older
 * frontier — is counted ({@code frontierUnderReports}), not refused. Engine thread only.
 */
final class Frontiers {
    enum Verdict {
        VALID, BACKDATED, WAIT
    }

    /** Most (conference, author) acknowledgement marks kept; beyond it they are forgotten (detection only). */
    static final int MAX_ACK_MARKS = 65_536;

    private final Counters counters;
    /** Per conference and author: this peer's highest own sequence that author acknowledged. */
    private final Map<ConferenceId, Map<PeerId, Long>> acked = new HashMap<>();
    private int marks;

    Frontiers(Counters counters) {
        this.counters = counters;
    }

    /**
     * The frontier for this peer's next own message: the latest delivered message in canonical order, never older
     * than the frontier of its own previous message (entries can be taken out of the history; a frontier never goes
     * back), nor than the frontier of this peer's own latest receipt ({@link Receipts}). Null when it has delivered
     * nothing.
     */
    static Frontier next(Conference c, PeerId self, long sequence) {
        Frontier f = null;
        var last = c.history.isEmpty() ? null : c.history.lastKey();
        // Never a message shown before its author signature was checked: its check may still fail (SECURITY.md 2.2).
        while (last != null && Unchecked.shown(c, last.id())) last = c.history.lowerKey(last);
        if (last != null) f = new Frontier(last.id(), last.timestamp());
        ChatMessage prev = previous(c, self, sequence);
        if (prev != null && prev.frontier() != null && (f == null || f.compareTo(prev.frontier()) < 0)) f = prev.frontier();
        if (prev != null) {
            Frontier own = new Frontier(prev.id(), prev.timestamp());
            if (f == null || f.compareTo(own) < 0) f = own;
        }
        // Never older than what this peer signed it had delivered (its latest receipt, restored with the conference).
        Receipt mine = c.receipts.get(self);
        if (mine != null && (f == null || f.compareTo(mine.frontier()) < 0)) f = mine.frontier();
        return f;
    }

    /** The lowest timestamp this peer's next own message may carry is above this one (null: none). */
    static HlcTimestamp floor(Conference c, PeerId self, long sequence, Frontier next) {
        ChatMessage prev = previous(c, self, sequence);
        HlcTimestamp t = next == null ? null : next.timestamp();
        if (prev != null && (t == null || prev.timestamp().compareTo(t) > 0)) t = prev.timestamp();
        return t;
    }

    private static ChatMessage previous(Conference c, PeerId author, long sequence) {
        TreeMap<Long, ChatMessage> own = c.chat.get(author);
        return own == null ? null : own.get(sequence - 1);
    }

    /** The verdict on a held message whose author's earlier sequence is settled (so its previous message is known). */
    Verdict check(Conference c, ChatMessage m, Set<PeerId> banned, Duration skew) {
        ChatMessage prev = previous(c, m.author(), m.sequence());
        if (prev != null && Membership.verdict(c, prev, skew) == Membership.Verdict.INVALID) prev = null;
        if (prev != null) {
            if (m.timestamp().compareTo(prev.timestamp()) < 0) return Verdict.BACKDATED;
            if (prev.frontier() != null && (m.frontier() == null || m.frontier().compareTo(prev.frontier()) < 0)) {
                return Verdict.BACKDATED;
            }
        }
        Frontier f = m.frontier();
        if (f == null) return Verdict.VALID;
        if (m.timestamp().compareTo(f.timestamp()) <= 0) return Verdict.BACKDATED;
        MessageId named = f.id();
        if (named.author().equals(m.author()) && named.sequence() >= m.sequence()) return Verdict.BACKDATED;
        if (banned.contains(named.author())) return Verdict.VALID;
        TreeMap<Long, ChatMessage> byAuthor = c.chat.get(named.author());
        ChatMessage held = byAuthor == null ? null : byAuthor.get(named.sequence());
        if (held == null) {
            // Settled here without the message: it can never be held here, nor compared anywhere it is not held. Outside
            // its author's membership (e.g. beyond its removal) it is refused on arrival and invalid: never compared.
            if (Membership.standing(c, named.author(), named.sequence()) == Membership.Standing.OUT) return Verdict.VALID;
            return named.sequence() <= c.contiguous.getOrDefault(named.author(), 0L) ? Verdict.VALID : Verdict.WAIT;
        }
        if (Membership.verdict(c, held, skew) == Membership.Verdict.INVALID) return Verdict.VALID;
        return held.timestamp().equals(f.timestamp()) ? Verdict.VALID : Verdict.BACKDATED;
    }

    /** {@code from} acknowledged this peer's own messages up to {@code sequence}. */
    void acknowledged(Conference c, PeerId from, long sequence) {
        Map<PeerId, Long> byAuthor = acked.computeIfAbsent(c.id, k -> new HashMap<>());
        if (!byAuthor.containsKey(from)) {
            if (marks >= MAX_ACK_MARKS) {
                acked.clear();
                marks = 0;
                byAuthor = acked.computeIfAbsent(c.id, k -> new HashMap<>());
            }
            marks++;
        }
        byAuthor.merge(from, sequence, Math::max);
    }

    /**
     * A message its author sent directly to this peer (frames from one peer arrive in the order sent): if the author
     * had acknowledged an own message of this peer's before, and the frontier is older than that message, the author
     * under-reported what it had seen. Counted, not refused (other peers cannot see it). Returns whether it was.
     */
    boolean direct(Conference c, PeerId self, ChatMessage m) {
        Long upTo = acked.getOrDefault(c.id, Map.of()).get(m.author());
        if (upTo == null) return false;
        TreeMap<Long, ChatMessage> own = c.chat.get(self);
        ChatMessage seen = own == null ? null : own.get(upTo);
        if (seen == null) return false;
        Frontier least = new Frontier(seen.id(), seen.timestamp());
        if (m.frontier() != null && m.frontier().compareTo(least) >= 0) return false;
        counters.frontierUnderReports.increment();
        return true;
    }
}

package dev.convene.conference.internal;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.util.List;
import java.util.Set;

/** Acknowledgements: sent coalesced per author, received for own messages still pending. Engine thread. */
final class Acks {
    private final EngineState s;
    private final Dispatch dispatch;

    Acks(EngineState s, Dispatch dispatch) {
        this.s = s;
        this.dispatch = dispatch;
    }

    /**
     * Once every row queued so far has committed ({@link ChatWriter#afterCommit}), moves each author's stored
     * sequence up to where its delivered sequence is now and acknowledges it.
     */
    void afterStored(Conference c, List<PeerId> authors) {
        java.util.Map<PeerId, Long> upTo = new java.util.HashMap<>();
        for (PeerId a : authors) {
            if (!a.equals(s.self)) upTo.put(a, c.contiguous.getOrDefault(a, 0L));
        }
        if (upTo.isEmpty()) return;
        s.writer.afterCommit(() -> upTo.forEach((author, seq) -> {
            c.stored.merge(author, seq, Math::max);
            ack(c, author);
        }));
    }

    /**
     * Tells an online author that every message of its up to our stored sequence ({@link Conference#stored}: committed,
     * not only delivered) is stored here. Acks are
     * coalesced: the first one due schedules a flush behind the frames already queued on this thread, so a
     * burst of messages from one author costs one signed ack, not one per message (the largest single cost
     * in a throughput profile before this).
     */
    void ack(Conference c, PeerId author) {
        if (author.equals(s.self)) return;
        dueAcks.add(new AckKey(c.id, author));
        if (!ackFlushScheduled) {
            ackFlushScheduled = true;
            s.events.execute(this::flushAcks);
        }
    }

    private record AckKey(ConferenceId conference, PeerId author) {
    }

    private final java.util.Set<AckKey> dueAcks = new java.util.LinkedHashSet<>();
    private boolean ackFlushScheduled;
    /** Set by {@link ChatLog}: signs receipts when acknowledgements are flushed. */
    Receipts receipts;

    /**
     * Sends the acknowledgements due, each behind this peer's current receipt in its conference (signed anew once per
     * flush and conference when its frontier moved, at most once per {@link Receipts#INTERVAL_NANOS}: else the
     * acknowledgement goes alone and its receipt follows on the tick, {@link Receipts#forAck}; one signed now goes
     * alone too and its receipt follows once stored), so every acknowledgement that counts is evidence of what this
     * peer had seen.
     */
    void flushAcks() {
        ackFlushScheduled = false;
        if (s.overlay == null) return; // not attached: nobody to tell
        List<AckKey> due = List.copyOf(dueAcks);
        dueAcks.clear();
        java.util.Map<ConferenceId, java.util.Optional<Receipt>> signed = new java.util.HashMap<>();
        for (AckKey k : due) {
            Conference c = s.conferences.get(k.conference());
            if (c == null) continue;
            long upTo = c.stored.getOrDefault(k.author(), 0L);
            if (upTo > 0 && s.overlay.directory().isOnline(k.author())) {
                Receipt r = receipts == null ? null : receipts.forAck(c, k.author(), signed);
                if (r != null) s.overlay.multicast(List.of(k.author()), new ReceiptFrame(r, null));
                s.overlay.multicast(List.of(k.author()), new ChatAck(c.id, k.author(), upTo));
            }
        }
    }

    void onAck(PeerId from, ChatAck a) {
        Conference c = s.conferences.get(a.conference());
        if (c == null || !a.author().equals(s.self) || !c.isParticipant(from)) return;
        // Never beyond what this peer posted: an acknowledgement of a sequence not yet posted proves nothing.
        c.ackClaimed.merge(from, Math.min(a.sequence(), c.ownSequence), Math::max);
        s.frontiers.acknowledged(c, from, a.sequence());
        credit(c, from);
        var done = c.awaitingAck.headMap(a.sequence(), true);
        if (done.isEmpty()) {
            storedByAll(c, from);
            return;
        }
        s.writer.markAcknowledged(c.id, a.sequence());
        for (var e : List.copyOf(done.entrySet())) {
            ChatEntry old = c.entries.get(new MessageId(s.self, e.getKey()));
            if (old != null) {
                ChatEntry acked = old.withPending(false);
                if (c.history.containsKey(old)) {
                    c.history.put(old, acked); // same key in canonical order: readers see one or the other, never neither
                    c.entries.put(acked.id(), acked);
                }
                e.getValue().complete(acked);
                dispatch.fire(l -> l.delivered(acked));
            } else if (c.eventIds.contains(new MessageId(s.self, e.getKey()))) {
                e.getValue().complete(null); // an own durable event: its public future maps this to the event
            }
        }
        done.clear();
        storedByAll(c, from); // after delivered, so listeners hear one before the other
    }

    /**
     * As {@link #storedByAll(Conference)}, after an acknowledgement from the participant {@code from} (or a receipt of
     * its that credited its acknowledgements, {@link Receipts}): nothing can
     * complete while {@code from}'s own confirmed mark is below the oldest own post awaiting everyone (the minimum
     * over the participants is at most its mark), so that case costs a look-up, not the participant set (at 30
     * participants an author gets 29 acknowledgements per post, most not yet covered by a receipt).
     */
    void storedByAll(Conference c, PeerId from) {
        if (c.awaitingAll.isEmpty()) return;
        if (!from.equals(s.self) && c.ackedUpTo.getOrDefault(from, 0L) < c.awaitingAll.firstKey()) return;
        if (unchangedMinimum(c)) {
            s.counters.storedByAllScansSkipped.increment();
            return;
        }
        storedByAll(c);
    }

    /**
     * Whether the lowest mark over the participants cannot have risen since the last full scan: the participant set
     * is the one scanned and the participant that held the minimum still holds the same mark. Then the minimum is
     * still at most that mark ({@link Conference#ackedUpTo} only grows), and every own post up to it was completed by
     * that scan (a post made since has a higher sequence than any mark then), so nothing can complete. Once
     * receipts cover an author's posts, each of n-1 acknowledgements per post would otherwise scan the n-1
     * participants' marks: at 100 participants, 99 x 99 look-ups per post.
     */
    private boolean unchangedMinimum(Conference c) {
        return c.minHolder != null && c.minScanFor == c.participants()
                && c.ackedUpTo.getOrDefault(c.minHolder, 0L) == c.minMark;
    }

    /**
     * Completes the own posts that every other current participant has confirmed storing, and tells listeners
     * ({@code deliveredToAll}).
     */
    void storedByAll(Conference c) {
        if (c.awaitingAll.isEmpty()) return;
        long upTo = Long.MAX_VALUE;
        PeerId holder = null;
        Set<PeerId> participants = c.participants();
        for (PeerId p : participants) {
            if (p.equals(s.self)) continue;
            long mark = c.ackedUpTo.getOrDefault(p, 0L);
            if (holder == null || mark < upTo) {
                upTo = mark;
                holder = p;
            }
        }
        c.minScanFor = participants;
        c.minHolder = holder;
        c.minMark = holder == null ? 0 : upTo;
        if (holder == null || upTo == 0) return;
        var done = c.awaitingAll.headMap(upTo, true);
        for (var e : List.copyOf(done.entrySet())) {
            ChatEntry entry = c.entries.get(new MessageId(s.self, e.getKey()));
            if (entry == null) {
                // An own durable event completes (its public future maps this to the event); an entry taken out
                // meanwhile has had its future failed with the refusal.
                if (c.eventIds.contains(new MessageId(s.self, e.getKey()))) e.getValue().complete(null);
                continue;
            }
            ChatEntry now = entry.withPending(false);
            e.getValue().complete(now);
            dispatch.fire(l -> l.deliveredToAll(now));
        }
        done.clear();
    }

    /**
     * Moves {@code from}'s confirmed mark ({@link Conference#ackedUpTo}) up over the own messages it acknowledged that its
     * current receipt covers: an own chat message (shown here) counts only if that receipt's frontier is at or after it
     * in canonical order, so {@code from} can never again post dated before it without being refused everywhere
     * ({@link Receipts}). Own messages that are not in the history (typed events, messages settled unshown) are not
     * part of any frontier and count with the acknowledgement. An acknowledgement that moves nothing for want of a
     * receipt is counted ({@code acksUncovered}). Delivered-to-all is checked by the caller.
     */
    void credit(Conference c, PeerId from) {
        long claimed = c.ackClaimed.getOrDefault(from, 0L);
        long done = c.ackedUpTo.getOrDefault(from, 0L);
        if (claimed <= done) return;
        Receipt r = c.receipts.get(from);
        long q = done;
        while (q < claimed) {
            MessageId id = new MessageId(s.self, q + 1);
            ChatEntry e = c.entries.get(id);
            if (e != null && (r == null || new Frontier(id, e.timestamp()).compareTo(r.frontier()) > 0)) break;
            q++;
        }
        if (q == done) {
            s.counters.acksUncovered.increment();
            return;
        }
        c.ackedUpTo.put(from, q);
    }

    /** Own messages still waiting for an acknowledgement while some other participant is online. */
    int unacknowledgedWithSomeoneOnline() {
        int n = 0;
        for (Conference c : s.conferences.values()) {
            if (!c.awaitingAck.isEmpty() && !s.onlineOthers(c.participants()).isEmpty()) n += c.awaitingAck.size();
        }
        return n;
    }
}

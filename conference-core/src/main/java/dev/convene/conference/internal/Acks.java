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

    void flushAcks() {
        ackFlushScheduled = false;
        if (s.overlay == null) return; // not attached: nobody to tell
        List<AckKey> due = List.copyOf(dueAcks);
        dueAcks.clear();
        for (AckKey k : due) {
            Conference c = s.conferences.get(k.conference());
            if (c == null) continue;
            if (receipts != null) receipts.issue(c); // at most once per interval, with the acknowledgements
            long upTo = c.stored.getOrDefault(k.author(), 0L);
            if (upTo > 0 && s.overlay.directory().isOnline(k.author())) {
                s.overlay.multicast(List.of(k.author()), new ChatAck(c.id, k.author(), upTo));
            }
        }
    }

    void onAck(PeerId from, ChatAck a) {
        Conference c = s.conferences.get(a.conference());
        if (c == null || !a.author().equals(s.self) || !c.participants().contains(from)) return;
        // Never beyond what this peer posted: an acknowledgement of a sequence not yet posted proves nothing.
        c.ackedUpTo.merge(from, Math.min(a.sequence(), c.ownSequence), Math::max);
        s.frontiers.acknowledged(c, from, a.sequence());
        var done = c.awaitingAck.headMap(a.sequence(), true);
        if (done.isEmpty()) {
            storedByAll(c);
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
        storedByAll(c); // after delivered, so listeners hear one before the other
    }

    /**
     * Completes the own posts that every other current participant has confirmed storing, and tells listeners
     * ({@code deliveredToAll}).
     */
    void storedByAll(Conference c) {
        if (c.awaitingAll.isEmpty()) return;
        long upTo = Long.MAX_VALUE;
        boolean anyone = false;
        for (PeerId p : c.participants()) {
            if (p.equals(s.self)) continue;
            anyone = true;
            upTo = Math.min(upTo, c.ackedUpTo.getOrDefault(p, 0L));
        }
        if (!anyone || upTo == 0) return;
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

    /** Own messages still waiting for an acknowledgement while some other participant is online. */
    int unacknowledgedWithSomeoneOnline() {
        int n = 0;
        for (Conference c : s.conferences.values()) {
            if (!c.awaitingAck.isEmpty() && !s.onlineOthers(c.participants()).isEmpty()) n += c.awaitingAck.size();
        }
        return n;
    }
}

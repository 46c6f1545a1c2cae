package dev.convene.conference.internal;

import static dev.convene.conference.internal.ConferenceEngine.BATCH_BYTES;
import static dev.convene.conference.internal.EngineState.RANDOM;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** History sync: digests answered with bounded batches (budgeted, with back-off), batches taken in, anti-entropy. Engine thread. */
final class HistorySync {
    private final EngineState s;
    private final ChatLog chat;
    private final Acks acks;
    private final int syncEveryTicks;
    private final java.util.function.LongSupplier nanos = System::nanoTime;
    private long ticks;

    HistorySync(EngineState s, ChatLog chat, Acks acks, int syncEveryTicks) {
        this.s = s;
        this.chat = chat;
        this.acks = acks;
        this.syncEveryTicks = syncEveryTicks;
    }

    /** Counts one tick; true when anti-entropy is due. */
    boolean tick() {
        ticks++;
        return ticks % syncEveryTicks == 0;
    }

    void onDigest(PeerId from, ChatDigest d) {
        Conference c = s.conferences.get(d.conference());
        if (c == null || !c.isParticipant(s.self) || !c.isParticipant(from)) {
            throw new RejectedMessageException("history request from a non-participant");
        }
        // Answer with one bounded batch of what the asker lacks, oldest first per author; it asks again
        // for the rest. Only delivered messages are offered (never beyond a gap here). Budgeted (HistoryBudget):
        // nothing is sent to the same asker twice within a few seconds, and bytes per asker and in total are capped.
        // The same digest asked again means the last answer did not help (the asker cannot use it yet): answered
        // again only after a back-off that doubles each time, so nothing is resent in a loop.
        Asked asked = new Asked(c.id, from);
        Backoff previous = answered.get(asked);
        boolean repeat = previous != null && previous.digest().equals(d.contiguous());
        boolean hold = repeat && ticks < previous.notBefore();
        if (hold) heldBack++;
        boolean fresh = !hold && s.history.fresh(from, c.id, d.contiguous());
        List<ChatMessage> batch = new ArrayList<>();
        int bytes = 0;
        boolean more = false;
        boolean suppressed = false;
        // A tip naming a sequence this peer holds another version of (the author equivocated, each peer holding one
        // version): this peer's version goes first, so the asker holds both and settles them as a proof, which it then
        // passes on. Bounded: at most one message per author, only in an answer the budget allows.
        for (var t : fresh ? d.tips().entrySet() : java.util.Set.<Map.Entry<PeerId, ChatDigest.Tip>>of()) {
            PeerId author = t.getKey();
            long seq = t.getValue().sequence();
            if (seq < 1 || seq > c.contiguous.getOrDefault(author, 0L)) continue;
            if (s.history.alreadySent(from, c.id, author) >= seq) continue; // sent lately: not again within 5 s
            java.util.TreeMap<Long, ChatMessage> byAuthor = c.chat.get(author);
            ChatMessage mine = byAuthor == null ? null : byAuthor.get(seq);
            if (mine == null || ChatSigner.unsigned(mine)) continue;
            // The asker holds another version than this peer's: this one. It holds this peer's, and this peer holds
            // the proof (it settled the pair while the asker was away, so the pair's multicast missed it): the other.
            ChatMessage send = !ChatDigest.Tip.of(mine).equals(t.getValue()) ? mine : c.equivocations.get(mine.id());
            if (send == null) continue;
            if (batch.size() >= Protocol.MAX_BATCH) break;
            batch.add(send);
            bytes += send.body().length + 200;
        }
        List<java.util.Iterator<ChatMessage>> ranges = new ArrayList<>();
        for (var e : fresh ? c.chat.entrySet() : java.util.Set.<Map.Entry<PeerId, java.util.TreeMap<Long, ChatMessage>>>of()) {
            // A banned author's messages are passed on too: only what this peer stored before the ban can be here (what
            // the banned peer sends is refused), and it is the conference's history, which the asker may have from
            // nobody else (its frontiers may name it). A ban is local: it hides, it does not cut others' history.
            long claimed = d.contiguous().getOrDefault(e.getKey(), 0L);
            long have = Math.max(claimed, s.history.alreadySent(from, c.id, e.getKey()));
            long delivered = c.contiguous.getOrDefault(e.getKey(), 0L);
            if (have > claimed && claimed < delivered) suppressed = true;
            if (have >= delivered) continue; // the asker is level or ahead for this author (after a partition, say)
            ranges.add(e.getValue().subMap(have, false, delivered, true).values().iterator());
        }
        // Oldest first across authors (each author's in sequence order): the message a frontier names comes
        // before or with the message naming it, so catch-up never waits on a message it has not been sent.
        for (var it = HistoryOrder.merge(ranges); it.hasNext(); ) {
            if (batch.size() >= Protocol.MAX_BATCH || bytes >= BATCH_BYTES) {
                more = true;
                break;
            }
            ChatMessage m = it.next();
            if (ChatSigner.unsigned(m)) break; // an own post waiting for its batch's signature: sent live once signed
            ChatMessage second = c.equivocations.get(m.id());
            if (second != null && batch.size() + 2 > Protocol.MAX_BATCH) { // an equivocation's pair goes whole: next batch
                more = true;
                break;
            }
            batch.add(m);
            bytes += m.body().length + 200;
            if (second != null) { // the proof travels whole, so the asker settles it as this peer did
                batch.add(second);
                bytes += second.body().length + 200;
            }
        }
        if (!fresh || (batch.isEmpty() && suppressed)) {
            s.counters.historyAnswersRefused.increment(); // held back (repeated digest) or budgeted
        } else if (!batch.isEmpty()) {
            if (s.history.spend(from, c.id, d.contiguous(), bytes)) {
                s.counters.historyBytesSent.add(bytes);
                for (ChatMessage m : batch) s.history.sent(from, c.id, m.author(), m.sequence());
                s.overlay.multicast(List.of(from), new ChatBatch(c.id, batch, more));
                // A proof that a message sent contradicts its author's receipt follows it (at most one per message),
                // once stored (one not yet stored goes to the online participants when it is: Receipts.proof).
                for (ChatMessage m : batch) {
                    Receipt r = chat.receipts.storedProof(c, m.id());
                    if (r != null) s.overlay.multicast(List.of(from), new ReceiptFrame(r, m));
                }
                int repeats = repeat ? previous.repeats() + 1 : 0;
                if (answered.size() >= MAX_ANSWERED && !answered.containsKey(asked)) answered.clear();
                answered.put(asked, new Backoff(d.contiguous(), ticks + (long) syncEveryTicks * (1L << Math.min(repeats, 6)), repeats));
            } else {
                s.counters.historyAnswersRefused.increment();
            }
        }
        if (d.contiguous().getOrDefault(from, 0L) <= c.contiguous.getOrDefault(from, 0L)) acks.ack(c, from);
        boolean behind = d.contiguous().entrySet().stream().anyMatch(e -> e.getValue() > c.contiguous.getOrDefault(e.getKey(), 0L));
        if (behind) {
            // Asking back: an ask (its answer is free of the unasked budget) at most once per RESEND interval per
            // peer and conference, so a participant's digests cannot make this peer ask it as often as it likes.
            Streaming k = new Streaming(c.id, from);
            Long last = askedBack.get(k);
            long now = nanos.getAsLong();
            if (last == null || now - last >= HistoryBudget.RESEND_AFTER_NANOS) {
                askedBack.put(k, now);
                ask(c, from, c.chatDigest());
            } else {
                s.overlay.multicast(List.of(from), c.chatDigest());
            }
        }
    }

    /** When this peer last asked a peer back (per conference), answering its digest ({@link #onDigest}); bounded. */
    private final Map<Streaming, Long> askedBack = new Bounded<>(MAX_ANSWERED);

    /** A history request, by conference and asker. */
    private record Asked(ConferenceId conference, PeerId asker) {
    }

    /** The digest last answered for an asker, the tick before which the same digest is not answered again, and how often it repeated. */
    private record Backoff(Map<PeerId, Long> digest, long notBefore, int repeats) {
    }

    /** Most askers remembered for back-off (bounded memory; forgetting only means answering once more). */
    private static final int MAX_ANSWERED = 4096;
    private final Map<Asked, Backoff> answered = new HashMap<>();

    /** Times a digest was not answered because the same one was answered recently (for tests and stats). */
    long heldBackAnswers() {
        return heldBack;
    }

    private long heldBack;

    void onBatch(PeerId from, ChatBatch b) {
        Conference c = s.conferences.get(b.conference());
        if (c == null || !c.isParticipant(s.self)) throw new RejectedMessageException("history for a non-participant");
        // Streamed, two batches at a time per sender: while none of its batches is being taken in, the next is pulled
        // at once, with a digest that counts this one as held, so it travels while this one's signatures are checked on
        // the worker pool (ChatLog.takeIn) and its rows are written; otherwise it is pulled once this one is in. The
        // answerer sends what follows (it skips what it sent moments ago, HistoryBudget). Two batches are at most 512
        // messages of an author beyond what is delivered here (ConferenceEngine.MAX_AHEAD), so none is refused for that.
        // Unasked batches (answering no digest this peer sent the sender) are charged to the sender's budget of
        // unasked messages; one that does not fit is refused whole and counted (docs/PROTOCOL.md, "Unasked batches").
        boolean asked = answers(c.id, from);
        if (!asked && !unaskedBudget(from).tryTake(b.messages().size())) {
            // Its messages first, then the batch: a reader that sees the batch counted sees its messages counted too.
            for (int i = 0; i < b.messages().size(); i++) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
            s.counters.unaskedBatchesRefused.increment();
            return;
        }
        Streaming key = new Streaming(c.id, from);
        boolean early = b.more() && !takingIn.containsKey(key);
        if (early) pull(asked, c, from, ahead(c, b.messages()));
        takingIn.merge(key, 1, Integer::sum);
        chat.takeIn(c, from, b.messages(), false, rejected -> {
            takingIn.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            for (int i = 0; i < rejected; i++) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
            Conference now = s.conferences.get(b.conference());
            if (b.more() && !early && now != null) pull(asked, now, from, now.chatDigest()); // pull the next batch
        });
    }

    /** Pulls the next batch of a stream: an ask only if the batch that wants a successor was itself asked for. */
    private void pull(boolean asked, Conference c, PeerId from, ChatDigest d) {
        if (asked) ask(c, from, d);
        else s.overlay.multicast(List.of(from), d);
    }

    /** Messages a sender may have taken in at once from batches that answer no digest of this peer's (four full batches). */
    static final int UNASKED_BURST = 4 * Protocol.MAX_BATCH;
    /** Unasked batch messages per second a sender's budget refills by. */
    static final int UNASKED_PER_SECOND = 64;
    /** Digests sent to one peer for one conference whose answers are awaited: at most this many are remembered. */
    static final int MAX_ASKS = 2;
    /** An ask not answered within this long is forgotten. */
    static final long ASK_NANOS = 30_000_000_000L;

    /** Sends {@code d} to {@code peer} and remembers it as an ask: a batch from {@code peer} answering it is not charged. */
    void ask(Conference c, PeerId peer, ChatDigest d) {
        s.overlay.multicast(List.of(peer), d);
        Streaming k = new Streaming(c.id, peer);
        long[] a = asks.get(k);
        long now = nanos.getAsLong();
        if (a == null || now - a[1] >= ASK_NANOS) asks.put(k, new long[] {1, now});
        else asks.put(k, new long[] {Math.min(MAX_ASKS, a[0] + 1), now});
    }

    /** Whether a batch from {@code from} answers an ask of this peer's (taking the ask). */
    private boolean answers(ConferenceId id, PeerId from) {
        Streaming k = new Streaming(id, from);
        long[] a = asks.get(k);
        if (a == null) return false;
        if (a[0] <= 1) asks.remove(k);
        else asks.put(k, new long[] {a[0] - 1, a[1]});
        return nanos.getAsLong() - a[1] < ASK_NANOS;
    }

    private TokenBucket unaskedBudget(PeerId sender) {
        return unasked.computeIfAbsent(sender, p -> new TokenBucket(UNASKED_BURST, UNASKED_PER_SECOND, nanos));
    }

    /** Messages the sender may still send unasked now (for tests). */
    long unaskedAvailable(PeerId sender) {
        return unaskedBudget(sender).available();
    }

    private final Map<Streaming, long[]> asks = new Bounded<>(MAX_ANSWERED);
    private final Map<PeerId, TokenBucket> unasked = new Bounded<>(HistoryBudget.ASKERS);

    /** History batches from one sender for one conference. */
    private record Streaming(ConferenceId conference, PeerId sender) {
    }

    /** Batches being taken in, per sender and conference (bounded: an entry lives while its batches are checked). */
    private final Map<Streaming, Integer> takingIn = new HashMap<>();

    /** This peer's digest as it will be once {@code batch} is in: per author, the highest sequence it holds. */
    static ChatDigest ahead(Conference c, List<ChatMessage> batch) {
        ChatDigest now = c.chatDigest();
        Map<PeerId, Long> claimed = new HashMap<>(now.contiguous());
        for (ChatMessage m : batch) {
            if (!c.isParticipant(m.author()) && !c.invitations.containsKey(m.author())) continue; // never name a stranger
            claimed.merge(m.author(), m.sequence(), Math::max);
        }
        return new ChatDigest(c.id, claimed, now.tips());
    }

    void antiEntropy() {
        for (Conference c : List.copyOf(s.conferences.values())) {
            s.isolated(c, "anti-entropy", () -> {
                List<PeerId> online = s.onlineOthers(c.members());
                if (online.isEmpty()) return;
                PeerId peer = online.get(RANDOM.nextInt(online.size()));
                sendMetaDigest(c, peer);
                if (c.isParticipant(s.self) && c.isParticipant(peer)) {
                    ask(c, peer, c.chatDigest());
                }
            });
        }
    }

    /** Pulls the history from one online participant; periodic anti-entropy covers what it lacks. */
    void requestHistory(Conference c) {
        List<PeerId> online = s.onlineOthers(c.participants());
        if (!online.isEmpty()) {
            PeerId peer = online.get(RANDOM.nextInt(online.size()));
            ask(c, peer, c.chatDigest());
        }
    }

    // Metadata anti-entropy by digest (PROTOCOL.md, "Metadata by digest"): a digest first, the records on a difference.

    /** The most (conference, peer) pairs remembered for meta digests; past it the memory starts again empty. */
    static final int MAX_META_PAIRS = 4096;
    /** Peers this peer sent a meta digest to, per conference, that have not answered it yet. */
    private final Set<Asked> metaAwaited = new java.util.HashSet<>();
    /** Per conference and member, how many digests in a row it left unanswered. */
    private final Map<Asked, Integer> metaUnanswered = new HashMap<>();
    /** Digests left unanswered in a row after which the whole metadata goes instead (an answer can be held back by the rate limit once). */
    static final int META_UNANSWERED_LIMIT = 2;
    /** The tick at which this peer last answered a peer's meta digest, per conference. */
    private final Map<Asked, Long> metaAnsweredAt = new HashMap<>();
    private long metaSame;
    private long metaDiffered;
    /** Differences answered with only the kinds that differed / with the whole metadata. */
    private long metaPartial;
    private long metaWhole;

    /**
     * One anti-entropy round's metadata for {@code peer}: its digest, or the whole metadata if the last
     * {@link #META_UNANSWERED_LIMIT} digests sent to it went unanswered (a member that does not know the conference
     * stays silent, so as not to tell strangers which conferences it knows; it gets the records then, as every round
     * used to send them).
     */
    void sendMetaDigest(Conference c, PeerId peer) {
        Asked key = new Asked(c.id, peer);
        if (metaAwaited.remove(key)) {
            int misses = metaUnanswered.merge(key, 1, Integer::sum);
            if (misses >= META_UNANSWERED_LIMIT) {
                metaUnanswered.remove(key);
                s.sendMeta(c, List.of(peer));
                return;
            }
        }
        if (metaAwaited.size() >= MAX_META_PAIRS) metaAwaited.clear();
        if (metaUnanswered.size() >= MAX_META_PAIRS) metaUnanswered.clear();
        metaAwaited.add(key);
        s.overlay.multicast(List.of(peer), MetaDigest.of(c, true));
    }

    /**
     * A member's meta digest: if it asks for an answer, this peer answers with its own digest (at most once per
     * half anti-entropy interval per conference and peer); if the records differ, it sends its whole metadata. An
     * answer counts only when this peer asked that member. Refused from a peer that is not a member of the
     * conference; ignored for a conference this peer does not know (nothing is sent: no oracle for strangers).
     */
    void onMetaDigest(PeerId from, MetaDigest d) {
        Conference c = s.conferences.get(d.conference());
        if (c == null) return;
        if (!c.members().contains(from) || from.equals(s.self)) throw new RejectedMessageException("meta digest from a non-member");
        Asked key = new Asked(c.id, from);
        if (d.answer()) {
            Long last = metaAnsweredAt.get(key);
            if (last != null && ticks - last < Math.max(1, syncEveryTicks / 2)) return;
            if (metaAnsweredAt.size() >= MAX_META_PAIRS) metaAnsweredAt.clear();
            metaAnsweredAt.put(key, ticks);
        } else if (metaAwaited.remove(key)) {
            metaUnanswered.remove(key);
        } else {
            return; // not an answer to a digest of this peer's
        }
        MetaDigest own = MetaDigest.of(c, false);
        int differing = own.differingKinds(d);
        if (differing == 0) {
            metaSame++;
        } else {
            metaDiffered++;
            // Only the kinds that differ, when the member holds the same context and invitations: a lost answer or
            // grant costs its kind's records, not every invitation of the conference.
            Meta part = c.metaOfKinds(differing, ConferenceEngine.META_CHUNK_BYTES);
            if (part != null) {
                metaPartial++;
                s.overlay.multicast(List.of(from), part);
            } else {
                metaWhole++;
                s.sendMeta(c, List.of(from));
            }
        }
        if (d.answer()) s.overlay.multicast(List.of(from), own);
    }

    /**
     * Meta digests received that matched this peer's records / that did not, and of those that did not, how many
     * were answered with only the differing kinds / with the whole metadata (tests).
     */
    long[] metaDigestOutcomes() {
        return new long[] {metaSame, metaDiffered, metaPartial, metaWhole};
    }
}

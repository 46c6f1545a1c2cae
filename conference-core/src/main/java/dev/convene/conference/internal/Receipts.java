package dev.convene.conference.internal;

import static dev.convene.conference.internal.ConferenceEngine.MAX_FUTURE;

import dev.convene.conference.ChatEntry;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import dev.convene.overlay.wire.WireBytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed receipts against under-reported frontiers (docs/SECURITY.md 2.7, docs/PROTOCOL.md "Receipts").
 *
 * <p>Every acknowledgement is evidence: with a flush of acknowledgements for a conference ({@link Acks}), when its
 * frontier moved since its latest receipt, a participant signs "after my own sequence k, I had delivered X" (X: the
 * frontier its next message would carry) and sends its current receipt ahead of each acknowledgement (frames to one
 * peer arrive in order) — at most once per {@link #INTERVAL_NANOS} per conference: an acknowledgement flushed sooner
 * goes alone, and the next tick signs and sends the receipt owed to its author ({@link #flushOwed}). A receipt is
 * sent only once stored: the persistence thread writes it ({@link ChatWriter#saveRecords}; no disk on the engine
 * thread), and the acknowledgements flushed as it was signed go without it, their authors owed it until it commits
 * ({@link #stored}). {@link Frontiers#next} never reports a frontier older than this peer's latest receipt (kept
 * as a {@code w/} row, so across restarts too): an honest peer never contradicts itself. An acknowledgement counts
 * for delivered-to-all only as far as its sender's receipt covers the own messages it acknowledges
 * ({@link Acks#credit}).
 *
 * <p>A receipt binds once this peer holds its author's messages up to k (its author claims they came before it);
 * until then it waits as {@link Conference#pendingReceipts} and the previous one stays current. A message of the
 * receipt's author with a sequence above k whose frontier is older than X (or absent) contradicts the receipt: the
 * pair, both signed by one key, is a proof any peer checks from the two records alone. The peer that finds it stores
 * it ({@code u/} row) and passes it to the online participants; every peer holding a proof settles the message
 * unshown (taking it out of the history where shown, listeners told {@code retracted}), unless X is exempt: invalid by
 * membership, equivocated, or by a banned author (a message taken out may honestly be "un-seen"). One current receipt
 * per author per conference is kept (the one naming the latest X); proofs are bounded by {@link #MAX_PROOFS}, a scan
 * of held messages by {@link #MAX_SCAN}. Engine thread only.
 */
final class Receipts {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);

    /** Most proofs kept per conference; beyond it more are not acted on (as equivocations). */
    static final int MAX_PROOFS = 1024;
    /** Most held messages after a new receipt's sequence compared with it. */
    static final int MAX_SCAN = 1024;

    private final EngineState s;
    private final Dispatch dispatch;
    private final ChatLog chat;

    Receipts(EngineState s, Dispatch dispatch, ChatLog chat) {
        this.s = s;
        this.dispatch = dispatch;
        this.chat = chat;
    }

    /** Whether {@code m} contradicts {@code r}: same conference and author, a later sequence, an older or no frontier. */
    static boolean contradicts(Receipt r, ChatMessage m) {
        return r.conference().equals(m.conference()) && r.author().equals(m.author()) && m.sequence() > r.sequence()
                && (m.frontier() == null || m.frontier().compareTo(r.frontier()) < 0);
    }

    /** Whether the message a receipt names may honestly be un-seen: invalid by membership, equivocated, or by a banned author. */
    static boolean exempt(Conference c, Set<PeerId> banned, Receipt r) {
        var x = r.frontier().id();
        if (banned.contains(x.author()) || c.equivocations.containsKey(x)) return true;
        TreeMap<Long, ChatMessage> byAuthor = c.chat.get(x.author());
        ChatMessage held = byAuthor == null ? null : byAuthor.get(x.sequence());
        return held != null && Membership.verdict(c, held, MAX_FUTURE) == Membership.Verdict.INVALID;
    }

    /** Whether a held message is settled unshown by a proof held here. */
    boolean refuted(Conference c, ChatMessage m) {
        Receipt r = c.underReports.get(m.id());
        return r != null && !exempt(c, s.banned, r);
    }

    static String receiptRow(PeerId author) {
        return "w/" + author.value();
    }

    static String proofRow(ChatMessage m) {
        return "u/" + m.author().value() + "/" + m.sequence();
    }

    private static byte[] encode(ReceiptFrame f) {
        return WireBytes.encode(ReceiptFrame.CODEC, f, Protocol.MAX_SIGNED + ConferenceEngine.BATCH_BYTES);
    }

    /**
     * This peer's current receipt in {@code c}, signed anew if its frontier moved since the latest one, unless
     * {@code force} is false and this peer signed one in {@code c} less than {@link #INTERVAL_NANOS} ago (then null:
     * the caller owes one, {@link #owe}). A receipt is sent only once it is stored, so a restart never forgets a
     * receipt that others may hold: one signed now is written by the persistence thread (not here: no disk on the
     * engine thread) and returned null, like one not yet due; once committed it goes to the authors owed one
     * ({@link #stored}). Null too when it is not a participant or has delivered nothing.
     */
    private Receipt current(Conference c, boolean force) {
        if (c.restoring || !c.isParticipant(s.self)) return null;
        long k = Math.max(c.ownSequence, c.contiguous.getOrDefault(s.self, 0L));
        Frontier x = Frontiers.next(c, s.self, k + 1);
        Receipt mine = c.receipts.get(s.self);
        if (x == null || mine != null && x.compareTo(mine.frontier()) <= 0) return unstored.containsKey(c.id) ? null : mine;
        long now = nanos.getAsLong();
        Long last = lastSigned.get(c.id);
        if (!force && last != null && now - last < interval(c)) return null;
        Receipt r = Receipt.sign(s.identity, c.id, k, x);
        c.receipts.put(s.self, r); // the floor of this peer's next frontiers from now on (Frontiers.next), stored or not
        unstored.put(c.id, r);
        s.counters.receiptsSigned.increment();
        lastSigned.put(c.id, now);
        boolean[] returned = {false};
        s.writer.saveRecords(c.id, Map.of(receiptRow(s.self), encode(new ReceiptFrame(r, null))), () -> {
            if (returned[0]) {
                stored(c.id, r);
            } else if (unstored.get(c.id) == r) {
                unstored.remove(c.id); // stored at once (no persistence thread): returned, sent by the caller
            }
        });
        returned[0] = true;
        return unstored.containsKey(c.id) ? null : r;
    }

    /** Per conference, this peer's receipt signed and not yet stored: nothing is sent of it until it is. */
    private final Map<dev.convene.conference.ConferenceId, Receipt> unstored = new HashMap<>();

    /**
     * This peer's receipt {@code r} in conference {@code id} committed: it goes to the online authors owed one, and
     * they are owed nothing more. It covers every acknowledgement sent before it committed (each acknowledges what
     * was delivered before the rows queued ahead of {@code r} committed, so before {@code r} was signed), even if a
     * newer one is on its way to the store meanwhile: waiting for that one instead starves the authors whenever
     * the store takes longer than {@link #interval} and the chat goes on (a newer one is always signed first).
     */
    private void stored(dev.convene.conference.ConferenceId id, Receipt r) {
        if (unstored.get(id) == r) unstored.remove(id);
        Set<PeerId> due = owed.remove(id);
        Conference c = s.conferences.get(id);
        if (due == null || c == null || s.overlay == null) return;
        List<PeerId> to = new ArrayList<>();
        for (PeerId a : due) if (s.overlay.directory().isOnline(a)) to.add(a);
        if (!to.isEmpty()) s.overlay.multicast(to, new ReceiptFrame(r, null));
    }

    /**
     * Least time between two receipts this peer signs in one conference on account of its acknowledgements. An
     * acknowledgement flushed sooner goes without a new receipt: it counts for delivered-to-all at its author only
     * once the next receipt arrives, which {@link #flushOwed} (the engine's tick) signs and sends. Chat is not
     * delayed by it; delivered-to-all is, by up to this interval plus a tick (100 ms by default).
     */
    static final long INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    /** Participants per {@link #INTERVAL_NANOS} of the interval in {@link #interval}. */
    static final int PARTICIPANTS_PER_INTERVAL = 10;

    /**
     * The least time between two receipts of this peer in {@code c}: {@link #INTERVAL_NANOS} up to 10 participants,
     * one more for every 10 more (1 s at 100). Each participant's receipts are checked by every author it
     * acknowledges: with one interval for all sizes an author of a conference of 100 checked about 1,000 receipts a
     * second (an Ed25519 check each, more than a core of this machine), now about 100 whatever the size; in return
     * delivered-to-all comes later in a large conference (up to this interval plus a tick).
     */
    static long interval(Conference c) {
        int n = c.participants().size();
        return INTERVAL_NANOS * Math.max(1, (n + PARTICIPANTS_PER_INTERVAL - 1) / PARTICIPANTS_PER_INTERVAL);
    }

    /** Time for {@link #INTERVAL_NANOS} (monotonic, not the conference clock: tests stand that one still). */
    java.util.function.LongSupplier nanos = System::nanoTime;
    private final Map<dev.convene.conference.ConferenceId, Long> lastSigned = new HashMap<>();
    /** Per conference, the authors sent an acknowledgement that no receipt covered yet. */
    private final Map<dev.convene.conference.ConferenceId, Set<PeerId>> owed = new HashMap<>();

    /**
     * The receipt to send ahead of an acknowledgement in {@code c} flushed now (signed anew if the frontier moved and
     * none was signed in the last {@link #INTERVAL_NANOS}), or null: then the acknowledgement to {@code author} goes
     * without one and a receipt is owed to it ({@link #flushOwed}).
     */
    Receipt forAck(Conference c, PeerId author, Map<dev.convene.conference.ConferenceId, java.util.Optional<Receipt>> thisFlush) {
        Receipt r = thisFlush.computeIfAbsent(c.id, id -> java.util.Optional.ofNullable(current(c, false))).orElse(null);
        if (r == null) owe(c, author);
        return r;
    }

    /** The authors owed a receipt in {@code c} (empty: none). */
    Set<PeerId> owedIn(dev.convene.conference.ConferenceId id) {
        return owed.getOrDefault(id, Set.of());
    }

    private void owe(Conference c, PeerId author) {
        owed.computeIfAbsent(c.id, id -> new java.util.LinkedHashSet<>()).add(author);
    }

    /**
     * Signs the receipts owed (each conference's current one, signed anew if its frontier moved) and sends each to
     * the authors acknowledged without one that are online: so a receipt always follows the last acknowledgement.
     * A conference whose latest receipt is younger than its {@link #interval} keeps its debt for a later tick, so
     * a conference costs at most one signature per interval however busy it is. Called by the engine's tick.
     */
    void flushOwed() {
        if (owed.isEmpty() || s.overlay == null) return;
        long now = nanos.getAsLong();
        var due = new ArrayList<>(owed.entrySet());
        for (var e : due) {
            Conference c = s.conferences.get(e.getKey());
            Long last = lastSigned.get(e.getKey());
            if (c != null && last != null && now - last < interval(c)) continue; // the next tick
            if (unstored.containsKey(e.getKey())) continue; // on its way to the store: sent to the authors owed once there
            if (c == null) {
                owed.remove(e.getKey());
                continue;
            }
            s.isolated(c, "receipt", () -> {
                Receipt r = current(c, true);
                if (r == null) {
                    if (!unstored.containsKey(c.id)) owed.remove(c.id); // nothing to sign: nothing is owed
                    return; // else signed now: it goes to the authors owed once stored
                }
                owed.remove(c.id);
                List<PeerId> to = new ArrayList<>();
                for (PeerId a : e.getValue()) if (s.overlay.directory().isOnline(a)) to.add(a);
                if (!to.isEmpty()) s.overlay.multicast(to, new ReceiptFrame(r, null));
            });
        }
    }

    /** A receipt, or a proof, from {@code from}: validated (author a participant, signatures) before anything is kept. */
    void onFrame(PeerId from, ReceiptFrame f) {
        Receipt r = f.receipt();
        Conference c = s.conferences.get(r.conference());
        if (c == null) throw new RejectedMessageException("receipt for unknown conference");
        if (!c.participants().contains(s.self)) throw new RejectedMessageException("receipt sent to a non-participant");
        byte[] key = r.author().equals(s.self) || s.banned.contains(r.author()) ? null : c.keyOf(r.author());
        if (key == null) {
            s.counters.receiptsRefused.increment();
            throw new RejectedMessageException("receipt by " + r.author().shortId() + ": not another participant");
        }
        boolean known = same(c.receipts.get(r.author()), r) || same(c.pendingReceipts.get(r.author()), r);
        if (!known && f.contradicted() == null && !s.verifier.isInline() && s.events != null) {
            checkLater(c, from, key, r);
            return;
        }
        if (!known && !s.gate.verify(from, key, () -> Protocol.bytes(Receipt.BODY, r), r.signature())) {
            s.counters.receiptsRefused.increment();
            throw new RejectedMessageException("receipt signature does not verify");
        }
        ChatMessage m = f.contradicted();
        if (m != null) {
            if (!contradicts(r, m)) {
                s.counters.receiptsRefused.increment();
                throw new RejectedMessageException("proof " + m.id() + " does not contradict its receipt");
            }
            if (!c.underReports.containsKey(m.id())) {
                chat.accept(c, from, m); // as any relayed message: refused (thrown) if it cannot be valid
                TreeMap<Long, ChatMessage> own = c.chat.get(m.author());
                ChatMessage held = own == null ? null : own.get(m.sequence());
                boolean same = held != null && java.util.Arrays.equals(Protocol.bytes(Protocol.CHAT_BODY, held), Protocol.bytes(Protocol.CHAT_BODY, m));
                if (!same && !s.verifier.verifyChat(s.gate, from, key, m)) {
                    throw new RejectedMessageException("chat signature does not verify");
                }
                proof(c, from, r, m);
            }
        }
        if (!known) keep(c, from, r);
        chat.deliverReady(c);
    }

    /** A receipt under a check on the worker pool: by whom, sent by whom, in which conference. */
    private record Checking(dev.convene.conference.ConferenceId conference, PeerId author, PeerId from) {
    }

    /** Receipts under a check on the pool, with the newest that came meanwhile from the same sender (checked next), or null. */
    private final Map<Checking, Receipt> checking = new HashMap<>();

    /**
     * A bare receipt checked on the worker pool ({@link ChatVerifier#offload}), not on this thread: at 30 participants
     * an author gets 29 receipts at once, 29 Ed25519 checks (about 4 ms) that would hold up its next post. While one
     * from {@code from} by that author is under a check, a newer one from the same sender waits in its place (one,
     * the newest: it supersedes one that waited, unchecked, as the newer receipt covers all the older did). Charged to
     * the sender's signature budget as on this thread. Refused as {@link #onFrame} refuses, counted when the result
     * comes back. The acknowledgements it covers count from then on ({@link #keep}).
     */
    private void checkLater(Conference c, PeerId from, byte[] key, Receipt r) {
        Checking k = new Checking(c.id, r.author(), from);
        if (checking.containsKey(k)) {
            Receipt waiting = checking.get(k);
            if (waiting == null || r.frontier().compareTo(waiting.frontier()) > 0) checking.put(k, r);
            return;
        }
        if (!s.gate.charge(from)) {
            s.counters.receiptsRefused.increment();
            throw new RejectedMessageException("receipt signature budget spent");
        }
        checking.put(k, null);
        byte[] signed = Protocol.bytes(Receipt.BODY, r);
        s.verifier.offload(() -> dev.convene.overlay.Identity.verify(key, signed, r.signature()), ok -> checked(k, key, r, ok));
    }

    /** Whether a receipt by {@code author} in {@code conference} is under a check on the pool ({@link ChatLog} shows its messages only after). */
    boolean underCheck(dev.convene.conference.ConferenceId conference, PeerId author) {
        if (checking.isEmpty()) return false;
        for (Checking k : checking.keySet()) if (k.conference().equals(conference) && k.author().equals(author)) return true;
        return false;
    }

    /**
     * Whether a receipt by {@code author} that {@code author} itself sent is under a check on the pool: its messages
     * received after it wait for that check before they are delivered ({@link ChatLog#deliverReady}), so a message
     * that contradicts a receipt its author sent first is settled as a proof, never shown. Only the author's own
     * receipts hold its messages back: receipts relayed by others (an old one replayed, say) cannot delay them.
     */
    boolean underCheckFromAuthor(dev.convene.conference.ConferenceId conference, PeerId author) {
        if (checking.isEmpty()) return false;
        for (Checking k : checking.keySet()) {
            if (k.conference().equals(conference) && k.author().equals(author) && k.from().equals(author)) return true;
        }
        return false;
    }

    private void checked(Checking k, byte[] key, Receipt r, boolean ok) {
        Receipt next = checking.remove(k);
        Conference c = s.conferences.get(k.conference());
        if (c == null) return;
        try {
            checkedIn(c, k, key, r, ok, next);
        } finally {
            chat.deliverReady(c); // what waited for this check (underCheckFromAuthor) flows, whatever its outcome
        }
    }

    private void checkedIn(Conference c, Checking k, byte[] key, Receipt r, boolean ok, Receipt next) {
        if (!ok) {
            s.counters.receiptsRefused.increment();
            if (s.overlay != null) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
            log.debug("{}: receipt by {} from {} refused: its signature does not verify", s.label(), k.author().shortId(), k.from().shortId());
        } else if (!same(c.receipts.get(r.author()), r) && !same(c.pendingReceipts.get(r.author()), r)) {
            keep(c, k.from(), r);
        }
        if (next == null) return;
        try {
            if (!c.participants().contains(s.self) || s.banned.contains(r.author()) || !java.util.Arrays.equals(key, c.keyOf(r.author()))) return;
            if (same(c.receipts.get(r.author()), next) || same(c.pendingReceipts.get(r.author()), next)) return;
            checkLater(c, k.from(), key, next);
        } catch (RejectedMessageException e) {
            if (s.overlay != null) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        }
    }

    /**
     * Keeps {@code r} as its author's current receipt if it names a later frontier, and compares held messages with it;
     * one that numbers messages not held here yet waits as pending. Then the author's acknowledgements are credited.
     */
    private void keep(Conference c, PeerId from, Receipt r) {
        if (r.sequence() > c.contiguous.getOrDefault(r.author(), 0L)) {
            Receipt pending = c.pendingReceipts.get(r.author());
            if (pending == null || r.frontier().compareTo(pending.frontier()) > 0) c.pendingReceipts.put(r.author(), r);
            return;
        }
        bind(c, from, r);
        credit(c, r.author());
    }

    private void credit(Conference c, PeerId author) {
        if (acks == null) return;
        acks.credit(c, author);
        acks.storedByAll(c, author); // as after an acknowledgement: a look-up unless the author's mark can complete one
    }

    private static boolean same(Receipt a, Receipt b) {
        return a != null && a.sequence() == b.sequence() && a.frontier().equals(b.frontier())
                && java.util.Arrays.equals(a.signature(), b.signature());
    }

    private void bind(Conference c, PeerId from, Receipt r) {
        Receipt current = c.receipts.get(r.author());
        if (current != null) {
            int cmp = r.frontier().compareTo(current.frontier());
            if (cmp < 0 || (cmp == 0 && r.sequence() >= current.sequence())) return;
        }
        c.receipts.put(r.author(), r);
        s.writer.saveRecords(c.id, Map.of(receiptRow(r.author()), encode(new ReceiptFrame(r, null))), null);
        TreeMap<Long, ChatMessage> own = c.chat.get(r.author());
        if (own == null) return;
        int scanned = 0;
        for (ChatMessage m : List.copyOf(own.tailMap(r.sequence(), false).values())) {
            if (++scanned > MAX_SCAN) break;
            if (contradicts(r, m)) proof(c, from, r, m);
        }
    }

    /** After delivery moved {@code authors} on: their pending receipts whose messages are all here now bind. */
    void promote(Conference c, java.util.Collection<PeerId> authors) {
        if (c.pendingReceipts.isEmpty()) return;
        for (PeerId a : authors) {
            Receipt r = c.pendingReceipts.get(a);
            if (r == null || r.sequence() > c.contiguous.getOrDefault(a, 0L)) continue;
            c.pendingReceipts.remove(a);
            bind(c, a, r);
            credit(c, a);
        }
    }

    /** Set by {@link ChatLog}: credits acknowledgements once a receipt covers them. */
    Acks acks;

    /** A message just stored: compared with its author's current receipt. */
    void onMessage(Conference c, PeerId from, ChatMessage m) {
        Receipt r = c.receipts.get(m.author());
        if (r != null && contradicts(r, m)) proof(c, from, r, m);
    }

    /**
     * A verified pair: stored, acted on — the message is settled unshown when its turn comes, or taken out of the
     * history now — and, once its row has committed, spread to the online participants (but the author and the
     * sender): a crash loses only a proof nobody was told about (told first, a restart would show the message here
     * for good while the others settle it unshown: nobody sends the proof again to a peer that holds the message).
     */
    void proof(Conference c, PeerId from, Receipt r, ChatMessage m) {
        if (c.underReports.containsKey(m.id())) return;
        if (c.underReports.size() >= MAX_PROOFS) {
            log.warn("{}: more than {} under-report proofs in {}; not acting on more", s.label(), MAX_PROOFS, c.id.shortId());
            return;
        }
        c.underReports.put(m.id(), r);
        ReceiptFrame pair = new ReceiptFrame(r, m);
        if (c.restoring) {
            s.writer.saveRecords(c.id, Map.of(proofRow(m), encode(pair)), null); // nobody to tell (and no engine thread yet)
        } else {
            ProofKey k = new ProofKey(c.id, m.id());
            unstoredProofs.add(k);
            s.writer.saveRecords(c.id, Map.of(proofRow(m), encode(pair)), () -> {
                unstoredProofs.remove(k);
                if (s.overlay == null) return;
                List<PeerId> others = new ArrayList<>(s.onlineOthers(c.participants()));
                others.remove(m.author());
                others.remove(from);
                if (!others.isEmpty()) s.overlay.multicast(others, pair);
            });
        }
        s.counters.underReportProofs.increment();
        log.warn("{}: {} signed a receipt its message {} contradicts (frontier under-reported)", s.label(), m.author().shortId(), m.id());
        if (!exempt(c, s.banned, r)) retract(c, m);
    }

    private record ProofKey(dev.convene.conference.ConferenceId conference, dev.convene.conference.MessageId message) {
    }

    /** Proofs found here whose rows have not committed yet: nothing is sent of them until they have ({@link #proof}). */
    private final Set<ProofKey> unstoredProofs = new java.util.HashSet<>();

    /** The proof held here that {@code message} contradicts its author's receipt, if it may be sent (stored); else null. */
    Receipt storedProof(Conference c, dev.convene.conference.MessageId message) {
        Receipt r = c.underReports.get(message);
        return r == null || unstoredProofs.contains(new ProofKey(c.id, message)) ? null : r;
    }

    private void retract(Conference c, ChatMessage m) {
        ChatEntry shown = c.entries.remove(m.id());
        if (shown != null) {
            c.history.remove(shown);
            if (!c.restoring) dispatch.retracted(shown, "under-reported frontier");
        }
        chat.typed.retract(c, m.id(), "under-reported frontier"); // a typed event is taken out the same way
        if (m.author().equals(s.self)) chat.failOwn(c, m.sequence(), "under-reported frontier");
    }

    /** Restores the receipts ({@code w/}) and proofs ({@code u/}) among a conference's stored rows. */
    static void restore(Conference c, Map<String, byte[]> rows) {
        Map<String, byte[]> sorted = new TreeMap<>(rows);
        sorted.forEach((k, bytes) -> {
            if (!k.startsWith("w/") && !k.startsWith("u/")) return;
            ReceiptFrame f = WireBytes.decode(ReceiptFrame.CODEC, bytes);
            if (!f.receipt().conference().equals(c.id)) return;
            if (k.startsWith("w/")) c.receipts.put(f.receipt().author(), f.receipt());
            else if (f.contradicted() != null && contradicts(f.receipt(), f.contradicted())) {
                c.underReports.put(f.contradicted().id(), f.receipt());
            }
        });
    }
}

package dev.convene.conference.internal;

import static dev.convene.conference.internal.ConferenceEngine.MAX_FUTURE;
import static dev.convene.conference.internal.ConferenceEngine.MAX_AHEAD;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.RejectedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat log of each conference: messages accepted, held per author until their turn, delivered in order or settled unshown. Engine thread. */
final class ChatLog {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    private final EngineState s;
    private final Dispatch dispatch;
    private final Acks acks;

    /** Typed events: their messages go through this log like chat; this decides what their plaintext means. */
    final TypedEvents typed;

    ChatLog(EngineState s, Dispatch dispatch, Acks acks) {
        this.s = s;
        this.dispatch = dispatch;
        this.acks = acks;
        this.receipts = new Receipts(s, dispatch, this);
        acks.receipts = receipts;
        receipts.acks = acks;
        this.typed = new TypedEvents(s, dispatch);
        this.signer = new ChatSigner(s);
        this.edits = new Edits(s, dispatch);
        edits.signer = signer;
    }

    /** Own posts, signed together (group commit) before they are stored and sent. */
    final ChatSigner signer;

    /** Edits and deletes by their author: their messages go through this log like chat. */
    final Edits edits;

    final Receipts receipts;

    void onChat(PeerId from, ChatMessage m) {
        Conference c = s.conferences.get(m.conference());
        if (c == null) throw new RejectedMessageException("chat for unknown conference");
        if (s.verifier.isInline() || s.events == null) {
            if (!accept(c, from, m)) acks.ack(c, m.author()); // a duplicate: the author may be waiting to hear it arrived
            else underReported(c, from, m);
            deliverReady(c);
            return;
        }
        takeIn(c, from, List.of(m), true, rejected -> {
            for (int i = 0; i < rejected && s.overlay != null; i++) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        });
    }

    /** Posts an author signed together, sent live in one frame: taken in as that many chat frames would be. */
    void onPosts(PeerId from, ChatPosts p) {
        Conference c = s.conferences.get(p.conference());
        if (c == null) throw new RejectedMessageException("chat for unknown conference");
        if (s.verifier.isInline() || s.events == null) {
            for (ChatMessage m : p.messages()) {
                try {
                    if (!m.conference().equals(c.id)) throw new RejectedMessageException("chat of another conference in a batch");
                    if (!accept(c, from, m)) acks.ack(c, m.author());
                    else underReported(c, from, m);
                } catch (RejectedMessageException e) {
                    if (s.overlay != null) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
                    log.debug("{}: chat from {} refused: {}", s.label(), from.shortId(), e.getMessage());
                }
            }
            deliverReady(c);
            return;
        }
        takeIn(c, from, p.messages(), true, rejected -> {
            for (int i = 0; i < rejected && s.overlay != null; i++) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        });
    }

    /** Author signatures under a check on the worker pool, per sending peer (bounded by its failure budget). */
    private final java.util.Map<PeerId, Integer> checking = new java.util.HashMap<>();

    /**
     * Takes in messages that {@code from} sent (live, or a history batch): the checks that need no signature here,
     * the author signatures on the worker pool ({@link ChatVerifier}) in chunks no larger than what {@code from}'s
     * failure budget allows under a check at once, then on this thread each message as {@link #accept} would, and
     * one delivery. {@code after} gets the number of messages refused, once all are decided. A message that no
     * chunk has room for is checked here, as before the pool. Engine thread.
     */
    void takeIn(Conference c, PeerId from, List<ChatMessage> ms, boolean live, java.util.function.IntConsumer after) {
        takeIn(c.id, from, ms, 0, live, 0, after);
    }

    private void takeIn(dev.convene.conference.ConferenceId id, PeerId from, List<ChatMessage> ms, int start, boolean live, int rejected,
                        java.util.function.IntConsumer after) {
        Conference c = s.conferences.get(id);
        if (c == null) {
            after.accept(rejected + ms.size() - start);
            return;
        }
        List<ChatMessage> chunk = new ArrayList<>();
        List<ChatVerifier.Check> checks = new ArrayList<>();
        long room = s.gate.chatChecksAllowed(from) - checking.getOrDefault(from, 0);
        if (room <= 0 && checking.getOrDefault(from, 0) > 0) {
            // Every check this sender's budget allows is under way: the rest waits for their results (bounded).
            waitForRoom(c, from, ms, start, live, rejected, after);
            return;
        }
        int i = start;
        if (room <= 0 && !s.gate.mayCheckChat(from)) {
            // The sender's bad signatures spent its budget: the rest of what it sent is refused at once, unchecked,
            // without deciding message by message (a flood of forged batches costs a count, not a loop of refusals).
            int refused = ms.size() - start;
            for (int k = 1; k < refused; k++) s.counters.signatureBudgetExceeded.increment();
            deliverReady(c);
            after.accept(rejected + refused);
            return;
        }
        // A live batch as its author signed it: one tree for its statements instead of a path per message.
        List<byte[]> statements = live && start == 0 && ms.size() > 1 ? BatchSignature.statements(ms) : null;
        for (; i < ms.size() && checks.size() < Math.max(room, 0); i++) {
            ChatMessage m = ms.get(i);
            try {
                if (!m.conference().equals(c.id)) throw new RejectedMessageException("chat of another conference in a batch");
                byte[] authorKey = precheck(c, from, m);
                if (authorKey == null) {
                    if (live) acks.ack(c, m.author()); // a duplicate: the author may be waiting to hear it arrived
                    continue;
                }
                if (!s.gate.mayCheckChat(from)) throw new RejectedMessageException("chat signature budget spent");
                chunk.add(m);
                // Live from its own author (the pair MAC proves who sent it): shown now, checked on the pool after.
                boolean early = live && from.equals(m.author()) && showEarly(c, m);
                byte[] contentKey = early ? null : c.keys.get(m.keyEpoch());
                checks.add(statements == null ? ChatVerifier.Check.of(authorKey, m, contentKey)
                        : ChatVerifier.Check.of(authorKey, m, contentKey, statements.get(i)));
            } catch (RejectedMessageException e) {
                rejected++;
                log.debug("{}: chat from {} refused: {}", s.label(), from.shortId(), e.getMessage());
            }
        }
        if (checks.isEmpty() && i < ms.size()) {
            // No room on the pool for this sender: this one is checked here, budgeted as before the pool.
            ChatMessage m = ms.get(i++);
            try {
                if (!m.conference().equals(c.id)) throw new RejectedMessageException("chat of another conference in a batch");
                if (!accept(c, from, m) && live) acks.ack(c, m.author());
            } catch (RejectedMessageException e) {
                rejected++;
                log.debug("{}: chat from {} refused: {}", s.label(), from.shortId(), e.getMessage());
            }
        }
        int next = i;
        int refused = rejected;
        if (checks.isEmpty()) {
            if (next < ms.size()) {
                takeIn(id, from, ms, next, live, refused, after);
            } else {
                deliverReady(c);
                after.accept(refused);
            }
            return;
        }
        checking.merge(from, checks.size(), Integer::sum);
        s.verifier.submit(checks, ok -> {
            checking.computeIfPresent(from, (p, n) -> n - checks.size() <= 0 ? null : n - checks.size());
            for (int k = 0; k < checks.size(); k++) {
                byte[] plain = checks.get(k).plain().get();
                if (ok[k] && plain != null) decrypted(chunk.get(k), checks.get(k).contentKey(), plain);
            }
            int more = refused + checked(id, from, chunk, ok, live);
            Conference after0 = s.conferences.get(id);
            if (after0 != null) uncheckedDecided(after0, from, chunk, ok);
            resume(from);
            if (next < ms.size()) {
                takeIn(id, from, ms, next, live, more, after);
            } else {
                Conference now = s.conferences.get(id);
                if (now != null) deliverReady(now);
                after.accept(more);
            }
        });
    }

    /** A body decrypted on the worker pool, with the key it was decrypted with. */
    private record Decrypted(byte[] key, byte[] plain) {
    }

    /**
     * Most bytes of bodies decrypted ahead of delivery kept (by message identity, until delivered); beyond, all are
     * dropped and decrypted again at delivery (a message settled unshown before its turn leaves its body here until then).
     */
    static final long MAX_DECRYPTED_BYTES = 4L * 1024 * 1024;
    private final java.util.Map<ChatMessage, Decrypted> decrypted = new java.util.IdentityHashMap<>();
    private long decryptedBytes;

    private void decrypted(ChatMessage m, byte[] key, byte[] plain) {
        if (decryptedBytes + plain.length + 64 > MAX_DECRYPTED_BYTES) {
            decrypted.clear();
            decryptedBytes = 0;
        }
        if (decrypted.put(m, new Decrypted(key, plain)) == null) decryptedBytes += plain.length + 64;
    }

    /** Most bytes of chat one sender may have waiting for room on the pool; beyond, its messages are refused. */
    static final long MAX_WAITING_BYTES = 4L * 1024 * 1024;

    /** What waits for room on the pool, per sender, and its bytes. */
    private record Waiting(java.util.ArrayDeque<Runnable> next, long[] bytes) {
    }

    private final java.util.Map<PeerId, Waiting> waiting = new java.util.HashMap<>();

    private void waitForRoom(Conference c, PeerId from, List<ChatMessage> ms, int start, boolean live, int rejected,
                      java.util.function.IntConsumer after) {
        long bytes = 0;
        for (int i = start; i < ms.size(); i++) bytes += ms.get(i).body().length + 200L;
        Waiting w = waiting.computeIfAbsent(from, p -> new Waiting(new java.util.ArrayDeque<>(), new long[1]));
        if (w.bytes()[0] + bytes > MAX_WAITING_BYTES) {
            int refused = ms.size() - start;
            for (int i = 0; i < refused; i++) s.counters.signatureBudgetExceeded.increment();
            if (w.next().isEmpty()) waiting.remove(from);
            deliverReady(c);
            after.accept(rejected + refused);
            return;
        }
        w.bytes()[0] += bytes;
        long held = bytes;
        w.next().add(() -> {
            w.bytes()[0] -= held;
            takeIn(c.id, from, ms, start, live, rejected, after);
        });
    }

    /** Runs what waited for room on the pool for {@code from}, while there is room. */
    private void resume(PeerId from) {
        Waiting w = waiting.get(from);
        // With nothing under way and no room, what waits is refused unchecked (the budget is spent): run it too.
        while (w != null && !w.next().isEmpty()
                && (s.gate.chatChecksAllowed(from) - checking.getOrDefault(from, 0) > 0 || checking.getOrDefault(from, 0) == 0)) {
            w.next().poll().run();
        }
        if (w != null && w.next().isEmpty() && waiting.get(from) == w) waiting.remove(from);
    }

    /** Takes in messages whose signatures were checked elsewhere; returns how many were refused. Engine thread. */
    private int checked(dev.convene.conference.ConferenceId id, PeerId from, List<ChatMessage> ms, boolean[] ok, boolean live) {
        Conference c = s.conferences.get(id);
        int rejected = 0;
        for (int i = 0; i < ms.size(); i++) {
            s.gate.chatChecked(from, ok[i]);
            ChatMessage m = ms.get(i);
            try {
                if (!ok[i]) throw new RejectedMessageException("chat signature does not verify");
                if (c == null) throw new RejectedMessageException("chat for unknown conference");
                if (!accept(c, from, m, true)) {
                    if (live) acks.ack(c, m.author());
                } else if (live) {
                    underReported(c, from, m);
                }
            } catch (RejectedMessageException e) {
                rejected++;
                log.debug("{}: chat from {} refused: {}", s.label(), from.shortId(), e.getMessage());
            }
        }
        return rejected;
    }

    /**
     * What can be decided about a message before its signature is checked: refused (thrown), already held (null), or
     * the author's key to check it with.
     */
    private byte[] precheck(Conference c, PeerId from, ChatMessage m) {
        if (!c.isParticipant(s.self) && !sentBeforeOwnRemoval(c, m)) throw new RejectedMessageException("chat sent to a non-participant");
        if (s.banned.contains(m.author())) throw new RejectedMessageException("chat by banned peer " + m.author().shortId());
        TreeMapHolder held = new TreeMapHolder(c, m.author());
        ChatMessage had = held.get(m.sequence());
        if (had != null || m.sequence() <= c.contiguous.getOrDefault(m.author(), 0L)) {
            if (had != null && !c.equivocations.containsKey(m.id()) && !sameMessage(had, m)) equivocation(c, from, had, m);
            return null; // duplicate, or a sequence already settled
        }
        byte[] authorKey = c.keyOf(m.author());
        if (authorKey == null) throw new RejectedMessageException("chat from non-member " + m.author().shortId());
        if (Membership.standing(c, m.author(), m.sequence()) == Membership.Standing.OUT) {
            throw new RejectedMessageException("chat " + m.id() + " outside its author's membership");
        }
        return authorKey;
    }

    /**
     * A message this peer was sent while it took part, now that it is removed: under a key it held, dated no later than
     * its removal. A removed peer keeps what it was sent before (only what is sent afterwards is closed to it), whether
     * the message's check ended before this peer heard of its removal or after: before, a message shown and under its
     * check when the removal came was taken out again, and a history that had it lost it.
     */
    private boolean sentBeforeOwnRemoval(Conference c, ChatMessage m) {
        Removal r = c.removals.get(s.self);
        return r != null && m.keyEpoch() < r.newEpoch() && !m.timestamp().instant().isAfter(r.at());
    }

    /**
     * Authors that sent this peer, over their own session, a message whose author signature did not verify: from then
     * on (for the life of this peer) their messages are checked before they are shown, as relayed ones are. At most
     * one per member of a conference held here.
     */
    private final Set<PeerId> distrusted = new java.util.HashSet<>();

    /**
     * Shows {@code m}, received live from its own author and under a signature check on the pool, before the check
     * ends, if it is the next of its author's sequence after what is shown here and passes every check that needs no
     * signature: those of {@link #accept} and those of {@link #deliverReady} (equivocation, receipts, membership,
     * dating, key, decryption). Plain chat, replies and mentions only; edits, deletes and typed events wait for
     * their check. Nothing is held, stored, acknowledged or relayed for it until the check passes
     * ({@link #uncheckedDecided}). Returns whether it was shown (its plaintext is kept for delivery). Engine thread.
     */
    private boolean showEarly(Conference c, ChatMessage m) {
        PeerId author = m.author();
        if (c.restoring || author.equals(s.self) || distrusted.contains(author) || s.banned.contains(author)) return false;
        TreeMap<Long, Unchecked> shown = c.unchecked.get(author);
        Unchecked prev = shown == null ? null : shown.get(m.sequence() - 1);
        long through = Math.max(c.contiguous.getOrDefault(author, 0L), shown == null || shown.isEmpty() ? 0L : shown.lastKey());
        if (m.sequence() != through + 1 || new TreeMapHolder(c, author).has(m.sequence())) return false;
        Instant at = m.timestamp().instant();
        if (at.isAfter(s.clock.instant().plus(MAX_FUTURE)) || at.isBefore(c.earliestMessage().minus(MAX_FUTURE))
                || at.isAfter(c.over().plus(MAX_FUTURE)) || m.keyEpoch() > Protocol.MAX_REMOVALS) return false;
        if (c.equivocations.containsKey(m.id()) || receipts.refuted(c, m)) return false;
        // A receipt of its author's that it contradicts makes it a proof once checked: never shown. One still under a
        // check on the pool may be such a receipt: the message waits for its own check, as before.
        Receipt signed = c.receipts.get(author);
        if (signed != null && Receipts.contradicts(signed, m)) return false;
        Receipt pending = c.pendingReceipts.get(author);
        if (pending != null && Receipts.contradicts(pending, m)) return false;
        if (receipts.underCheck(c.id, author)) return false;
        if (Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID) return false;
        if (prev != null) {
            // Its previous message is shown unchecked (not held): dated against it as Frontiers would against a held one.
            ChatMessage p = prev.message();
            if (m.timestamp().compareTo(p.timestamp()) < 0) return false;
            if (p.frontier() != null && (m.frontier() == null || m.frontier().compareTo(p.frontier()) < 0)) return false;
        }
        Frontier f = m.frontier();
        Unchecked named = f == null || shown == null || !f.id().author().equals(author) ? null : shown.get(f.id().sequence());
        if (named != null) {
            // It names its author's own earlier message, shown unchecked here (the author posts faster than a check):
            // dated against it as Frontiers would against a held one. If that one's check fails, this one goes too.
            if (f.id().sequence() >= m.sequence() || m.timestamp().compareTo(f.timestamp()) <= 0
                    || !named.message().timestamp().equals(f.timestamp())) return false;
        } else if (s.frontiers.check(c, m, s.banned, MAX_FUTURE) != Frontiers.Verdict.VALID) {
            return false; // backdated, or it names a message not held here yet (another author's unchecked one: it waits)
        }
        byte[] key = c.keys.get(m.keyEpoch());
        if (key == null) return false;
        byte[] plain;
        try {
            plain = ContentCrypto.decrypt(key, m.body(), m.aad());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        byte[] inner = plain;
        TypedEvents.Parsed p = TypedEvents.isTyped(inner) ? TypedEvents.parse(inner) : null;
        List<PeerId> mentions = List.of();
        java.util.Optional<MessageId> replyTo = java.util.Optional.empty();
        String text;
        try {
            if (Mentions.is(p)) {
                Mentions.Unwrapped u = Mentions.unwrap(p.value());
                mentions = u.mentions();
                inner = u.inner();
                p = TypedEvents.isTyped(inner) ? TypedEvents.parse(inner) : null;
            }
            if (SocialCodecs.isReply(p)) {
                SocialCodecs.ReplyText r = SocialCodecs.reply(p.value());
                replyTo = java.util.Optional.of(r.to());
                text = r.text();
            } else if (!mentions.isEmpty()) {
                text = new String(inner, StandardCharsets.UTF_8);
            } else if (TypedEvents.isTyped(inner)) {
                return false; // an edit, a delete or a typed event: shown (or applied) once checked
            } else {
                text = new String(inner, StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            return false; // malformed: decided (and counted) once checked, as before
        }
        ChatEntry entry = new ChatEntry(c.id, m.id(), m.timestamp(), s.nameOf(author), text, false, replyTo).withMentions(mentions);
        s.hlc.observe(m.timestamp()); // an own post after this one is dated after it (within the skew allowed above)
        c.history.put(entry, entry);
        c.entries.put(entry.id(), entry);
        c.unchecked.computeIfAbsent(author, a -> new TreeMap<>()).put(m.sequence(), new Unchecked(m, entry));
        decrypted(m, key, plain);
        dispatch.message(entry);
        if (mentions.contains(s.self)) dispatch.fire(l -> l.mentioned(entry));
        return true;
    }

    /**
     * After the checks of {@code chunk} (results {@code ok}) were taken in: each of them shown before its check whose
     * check failed, or that was refused (nothing held at its sequence, which is still open), is taken out together
     * with every message of its author shown unchecked after it (a peer that never received it shows none of them:
     * they wait for that sequence). A failed check also makes its author {@link #distrusted}. One whose sequence
     * holds another message (an equivocation, which took it out) is forgotten; one held waits for its delivery.
     */
    private void uncheckedDecided(Conference c, PeerId from, List<ChatMessage> chunk, boolean[] ok) {
        if (c.unchecked.isEmpty()) return;
        for (int k = 0; k < chunk.size(); k++) {
            ChatMessage m = chunk.get(k);
            TreeMap<Long, Unchecked> shown = c.unchecked.get(m.author());
            Unchecked u = shown == null ? null : shown.get(m.sequence());
            if (u == null || u.message() != m) continue;
            ChatMessage held = new TreeMapHolder(c, m.author()).get(m.sequence());
            // Held (this message, or a copy of it that came another way, e.g. in a history batch): delivered by
            // deliverReady, which keeps the entry shown, or settled there ({@link #reconcile}).
            if (held != null && (held == m || sameMessage(held, m))) continue;
            if (ok[k] && (held != null || m.sequence() <= c.contiguous.getOrDefault(m.author(), 0L))) {
                shown.remove(m.sequence());
                unshow(c, u, held != null ? "equivocation" : "settled unshown");
            } else {
                if (!ok[k] && from.equals(m.author())) distrusted.add(m.author());
                String why = ok[k] ? "refused" : "author signature does not verify";
                for (Unchecked later : List.copyOf(shown.tailMap(m.sequence(), true).values())) {
                    shown.remove(later.message().sequence());
                    unshow(c, later, why);
                }
                log.debug("{}: chat {} shown before its check, taken out: {}", s.label(), m.id(), why);
            }
            if (shown.isEmpty()) c.unchecked.remove(m.author());
        }
    }

    /** Takes out an entry shown unchecked, if it is still the one shown for its message. */
    private void unshow(Conference c, Unchecked u, String why) {
        ChatEntry e = u.entry();
        if (c.entries.get(e.id()) != e) return; // taken out already (an equivocation, a removal) or replaced
        c.entries.remove(e.id());
        c.history.remove(e);
        s.counters.uncheckedRetracted.increment();
        if (!c.restoring) dispatch.retracted(e, why);
    }

    /**
     * After a delivery pass: messages shown unchecked whose sequence the pass settled without delivering them
     * (settled unshown, erased, a closed range, another message there) are taken out.
     */
    private void reconcile(Conference c, Set<PeerId> advanced) {
        if (c.unchecked.isEmpty()) return;
        for (PeerId author : advanced) {
            TreeMap<Long, Unchecked> shown = c.unchecked.get(author);
            if (shown == null) continue;
            var settled = shown.headMap(c.contiguous.getOrDefault(author, 0L), true);
            for (Unchecked u : List.copyOf(settled.values())) unshow(c, u, "settled unshown");
            settled.clear();
            if (shown.isEmpty()) c.unchecked.remove(author);
        }
    }

    /** A live message straight from its author that names an older frontier than this peer knows it had seen: counted. */
    private void underReported(Conference c, PeerId from, ChatMessage m) {
        if (from.equals(m.author()) && s.frontiers.direct(c, s.self, m)) log.debug("{}: chat {} under-reports its frontier", s.label(), m.id());
    }

    /**
     * Stores a message whose author's signature verifies and that can still be valid: validity itself is decided
     * at delivery ({@link #deliverReady}) by {@link Membership}, with the records held then, so a message whose
     * author's answer has not arrived yet waits here instead of being refused and resent.
     */
    boolean accept(Conference c, PeerId from, ChatMessage m) {
        return accept(c, from, m, false);
    }

    /** As {@link #accept(Conference, PeerId, ChatMessage)}; {@code signatureChecked}: its signature verified already. */
    boolean accept(Conference c, PeerId from, ChatMessage m, boolean signatureChecked) {
        byte[] authorKey = precheck(c, from, m);
        if (authorKey == null) return false;
        TreeMapHolder held = new TreeMapHolder(c, m.author());
        if (!signatureChecked && !s.verifier.verifyChat(s.gate, from, authorKey, m)) {
            throw new RejectedMessageException("chat signature does not verify");
        }
        if (m.timestamp().instant().isAfter(s.clock.instant().plus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp " + m.timestamp() + " is in the future");
        }
        if (m.timestamp().instant().isBefore(c.earliestMessage().minus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp before the conference start");
        }
        Instant end = c.over();
        if (m.timestamp().instant().isAfter(end.plus(MAX_FUTURE))) {
            throw new RejectedMessageException("chat timestamp after the conference ended");
        }
        if (Membership.verdict(c, m, MAX_FUTURE) == Membership.Verdict.INVALID && !m.author().equals(s.self)) {
            // Invalid for ever: kept (it fills its author's sequence, so later messages flow) but never shown.
            log.debug("{}: chat {} invalid by membership; held unshown", s.label(), m.id());
            s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        }
        if (m.sequence() > c.contiguous.getOrDefault(m.author(), 0L) + MAX_AHEAD) {
            // Bounded memory: a sender cannot make us hold unlimited messages waiting for a gap to fill;
            // anything refused here comes again through anti-entropy once the gap is closed.
            throw new RejectedMessageException("chat " + m.id() + " too far beyond the author's gap");
        }
        if (m.keyEpoch() > Protocol.MAX_REMOVALS) throw new RejectedMessageException("chat under epoch " + m.keyEpoch());
        // Written by the persistence thread in a batch; refused (it comes again) while too much waits to be written.
        if (!s.writer.offer(m, s.nameOf(m.author()))) throw new RejectedMessageException("chat " + m.id() + ": store backlog full");
        s.hlc.observe(m.timestamp());
        held.put(m);
        receipts.onMessage(c, from, m);
        return true;
    }

    /** Most equivocations kept per conference (each costs one stored message); beyond, more are not acted on. */
    static final int MAX_EQUIVOCATIONS = 1024;

    private static boolean sameMessage(ChatMessage a, ChatMessage b) {
        return java.util.Arrays.equals(Protocol.bytes(Protocol.CHAT_BODY, a), Protocol.bytes(Protocol.CHAT_BODY, b));
    }

    /**
     * Two different messages signed by one author with one sequence: the pair proves the author equivocated (sent
     * different peers different histories). Deterministic outcome at every peer, whichever it saw first: neither is
     * shown (one already shown is taken out, listeners told {@code retracted}), the sequence is settled so the
     * author's later messages flow, the second is stored with the conference, and both are passed on to the online
     * participants (and with history answers), so each of them holds the proof and decides the same way.
     */
    void equivocation(Conference c, PeerId from, ChatMessage had, ChatMessage m) {
        byte[] authorKey = c.keyOf(m.author());
        if (authorKey == null || !m.conference().equals(c.id)) return;
        if (!s.verifier.verifyChat(s.gate, from, authorKey, m)) {
            throw new RejectedMessageException("chat signature does not verify");
        }
        if (c.equivocations.size() >= MAX_EQUIVOCATIONS) {
            log.warn("{}: more than {} equivocations in {}; not acting on more", s.label(), MAX_EQUIVOCATIONS, c.id.shortId());
            return;
        }
        c.equivocations.put(m.id(), m);
        s.writer.saveRecords(c.id, java.util.Map.of(MetaRecords.equivocationRow(m),
                dev.convene.overlay.wire.WireBytes.encode(Protocol.CHAT, m, Protocol.MAX_SIGNED + ConferenceEngine.BATCH_BYTES)), null);
        log.warn("{}: {} sent two different messages as {}; neither is shown", s.label(), m.author().shortId(), m.id());
        ChatEntry shown = c.entries.remove(m.id());
        if (shown != null) {
            c.history.remove(shown);
            if (!c.restoring) dispatch.retracted(shown, "equivocation");
        }
        if (m.author().equals(s.self)) failOwn(c, m.sequence(), "equivocation");
        if (!c.restoring && s.overlay != null) {
            List<PeerId> others = new ArrayList<>(s.onlineOthers(c.participants()));
            others.remove(m.author());
            // As one batch: a peer that holds neither takes both in before delivering, so it never shows either.
            if (!others.isEmpty()) s.overlay.multicast(others, new ChatBatch(c.id, List.of(had, m), false));
        }
    }

    /** Batches of proofs passed to a participant as it comes online (each a pair, whole, in one batch). */
    static final int PROOF_BATCHES_PER_JOIN = 2;

    /**
     * Passes the proofs of equivocation held here (each pair whole, at most {@link #PROOF_BATCHES_PER_JOIN} batches) to
     * {@code peer}, a participant that came online: a pair passed on while it was away (or lost on its way) otherwise
     * reached it only when a digest's tip happened to name that sequence, and a peer that left before then showed its
     * version for ever (MembershipModelTest soak). A peer that holds both already finds nothing new in them.
     */
    void passProofs(Conference c, PeerId peer) {
        if (c.equivocations.isEmpty() || s.overlay == null) return;
        List<ChatMessage> batch = new ArrayList<>();
        int bytes = 0;
        int sent = 0;
        for (ChatMessage second : List.copyOf(c.equivocations.values())) {
            if (second.author().equals(peer)) continue; // its own: it knows what it signed
            TreeMap<Long, ChatMessage> byAuthor = c.chat.get(second.author());
            ChatMessage first = byAuthor == null ? null : byAuthor.get(second.sequence());
            if (first == null) continue;
            int size = first.body().length + second.body().length + 400;
            if (batch.size() + 2 > Protocol.MAX_BATCH || bytes + size > ConferenceEngine.BATCH_BYTES) {
                s.overlay.multicast(List.of(peer), new ChatBatch(c.id, List.copyOf(batch), false));
                batch.clear();
                bytes = 0;
                if (++sent >= PROOF_BATCHES_PER_JOIN) return;
            }
            batch.add(first);
            batch.add(second);
            bytes += size;
        }
        if (!batch.isEmpty()) s.overlay.multicast(List.of(peer), new ChatBatch(c.id, List.copyOf(batch), false));
    }

    /** Access to one author's held messages. */
    private record TreeMapHolder(Conference c, PeerId author) {
        boolean has(long seq) {
            var t = c.chat.get(author);
            return t != null && t.containsKey(seq);
        }

        ChatMessage get(long seq) {
            var t = c.chat.get(author);
            return t == null ? null : t.get(seq);
        }

        void put(ChatMessage m) {
            c.chat.computeIfAbsent(author, a -> new java.util.TreeMap<>()).put(m.sequence(), m);
        }
    }

    /**
     * Delivers every held message that continues an author's sequence without a gap, then acknowledges, once per
     * author, everything delivered from that author so far, once the rows holding it have committed.
     */
    void deliverReady(Conference c) {
        Set<PeerId> advanced = new java.util.LinkedHashSet<>();
        Set<PeerId> refused = new TreeSet<>();
        int firstReadable = c.firstReadableEpoch(s.self);
        // Another pass while an author waits for a message its frontier names and some author moved on meanwhile.
        for (boolean again = true; again; ) {
        boolean waiting = false;
        boolean moved = false;
        for (var e : c.chat.entrySet()) {
            PeerId author = e.getKey();
            long first = c.contiguous.getOrDefault(author, 0L) + 1;
            long next = first;
            while (true) {
                ChatMessage m = e.getValue().get(next);
                // (a delete that erases it is held after it: nothing held after it, nothing to look for)
                if (m == null && !e.getValue().isEmpty() && e.getValue().lastKey() > next && edits.erased(c, author, next)) {
                    // Erased by its author's delete, held after it (Edits): settled without the message.
                    c.contiguous.put(author, next);
                    next++;
                    continue;
                }
                if (m == null) {
                    // A sequence its author could not validly use (a closed range of its membership) is settled
                    // without the message, so what follows flows; a removal's open end is never skipped into.
                    if (Membership.standing(c, author, next) != Membership.Standing.OUT) break;
                    long through = Membership.settledThrough(c, author, next);
                    if (through == Long.MAX_VALUE || through < next) break;
                    Long held = e.getValue().ceilingKey(next);
                    next = Math.min(through, held == null ? through : held - 1) + 1;
                    c.contiguous.put(author, next - 1);
                    continue;
                }
                if (c.equivocations.containsKey(m.id())) {
                    settle(c, m, "equivocation");
                    next++;
                    continue;
                }
                // A receipt its author sent before it is under a check: it waits (Receipts.underCheckFromAuthor).
                if (receipts.underCheckFromAuthor(c.id, author)) break;
                if (receipts.refuted(c, m)) {
                    settle(c, m, "contradicts its author's receipt (under-reported frontier)");
                    next++;
                    continue;
                }
                Membership.Verdict verdict = Membership.verdict(c, m, MAX_FUTURE);
                if (verdict == Membership.Verdict.UNDECIDED) break; // its author's answer has not arrived yet
                if (verdict == Membership.Verdict.INVALID) {
                    if (!author.equals(s.self)) refused.add(author);
                    settle(c, m, "invalid by membership");
                    next++;
                    continue;
                }
                Frontiers.Verdict dated = s.frontiers.check(c, m, s.banned, MAX_FUTURE);
                if (dated == Frontiers.Verdict.WAIT) { // the message its frontier names has not arrived yet
                    waiting = true;
                    break;
                }
                if (dated == Frontiers.Verdict.BACKDATED) {
                    s.counters.backdated.increment();
                    if (s.overlay != null && !c.restoring) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
                    settle(c, m, "dated before what its author had seen");
                    next++;
                    continue;
                }
                byte[] key = c.keys.get(m.keyEpoch());
                if (key == null) {
                    if (m.keyEpoch() >= firstReadable) break; // a key grant may still come
                    settle(c, m, "under a key from before this peer's admission");
                    next++;
                    continue;
                }
                byte[] plain;
                Decrypted early = decrypted.remove(m);
                if (early != null) decryptedBytes -= early.plain().length + 64;
                try {
                    // Decrypted on the worker pool with this very key, or here.
                    plain = early != null && early.key() == key ? early.plain() : ContentCrypto.decrypt(key, m.body(), m.aad());
                } catch (GeneralSecurityException ex) {
                    // Signed by its author but not readable with the epoch's key: it can never be read here.
                    if (s.overlay != null) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
                    settle(c, m, "undecryptable");
                    next++;
                    continue;
                }
                TypedEvents.Parsed reply = TypedEvents.isTyped(plain) ? TypedEvents.parse(plain) : null;
                List<PeerId> mentions = List.of();
                if (Mentions.is(reply)) {
                    // Chat that mentions participants (Mentions): the ids, then the text or reply inside.
                    Mentions.Unwrapped u = mentionsOf(m, reply);
                    if (u == null) {
                        settle(c, m, "malformed mention");
                        next++;
                        continue;
                    }
                    mentions = u.mentions();
                    plain = u.inner();
                    reply = TypedEvents.isTyped(plain) ? TypedEvents.parse(plain) : null;
                }
                if (SocialCodecs.isReply(reply)) {
                    // A reply is chat with a reference (PROTOCOL.md §2, Built-in types); a malformed one is never shown.
                    SocialCodecs.ReplyText r = replyOf(m, reply);
                    if (r == null) settle(c, m, "malformed reply");
                    else deliver(c, m, r.text(), java.util.Optional.of(r.to()), mentions, false);
                } else if (!mentions.isEmpty()) {
                    deliver(c, m, new String(plain, StandardCharsets.UTF_8), java.util.Optional.empty(), mentions, false);
                } else if (Edits.isEdit(reply) || Edits.isDelete(reply)) {
                    // An edit or delete by its author (Edits): it changes the history, it is not shown itself.
                    c.contiguous.put(author, m.sequence());
                    edits.received(c, m, reply);
                } else if (TypedEvents.isTyped(plain)) {
                    // A typed event: delivered to its type's listeners if registered here, else only kept (and relayed).
                    c.contiguous.put(author, m.sequence());
                    typed.received(c, m, plain);
                } else {
                    deliver(c, m, new String(plain, StandardCharsets.UTF_8), false);
                }
                next++;
            }
            if (next > first) {
                advanced.add(author);
                moved = true;
            }
        }
        again = waiting && moved; // each pass that repeats delivered or settled at least one message
        }
        if (!c.restoring && s.overlay != null) {
            // An author whose post was refused gets the records that refuse it before the acknowledgement that
            // covers it (frames to one peer arrive in order), so it learns its post failed, not that it arrived.
            List<PeerId> tell = s.onlineOthers(refused);
            if (!tell.isEmpty()) s.sendMeta(c, tell);
        }
        reconcile(c, advanced);
        if (!c.restoring) receipts.promote(c, advanced); // a receipt that waited for its author's messages binds now
        if (!c.restoring) acks.afterStored(c, List.copyOf(advanced));
    }

    /**
     * Moves an author's sequence past a message that will never be shown here, so later messages flow; it stays
     * held (and is relayed), so a peer asking for history settles it the same way. An own post that ends up
     * invalid (sent under an old key after a removal it had not heard of) is reported to its future.
     */
    void settle(Conference c, ChatMessage m, String why) {
        c.contiguous.put(m.author(), m.sequence());
        log.debug("{}: chat {} settled unshown: {}", s.label(), m.id(), why);
        if (m.author().equals(s.self)) failOwn(c, m.sequence(), why);
    }

    void failOwn(Conference c, long sequence, String why) {
        var refused = new dev.convene.conference.MessageRefusedException(c.id, new MessageId(s.self, sequence), why);
        CompletableFuture<ChatEntry> f = c.awaitingAck.remove(sequence);
        if (f != null) f.completeExceptionally(refused);
        CompletableFuture<ChatEntry> all = c.awaitingAll.remove(sequence);
        if (all != null) all.completeExceptionally(refused);
    }

    /**
     * After the removals in effect or an epoch's key changed: the history becomes again what the records say. What is
     * now invalid (messages of a removed peer beyond what its remover held, messages under an old key dated after a
     * removal) or no longer readable (under a key that lost a conflict) is taken out, and an own such post fails;
     * what is valid again (its removal lost a conflict) is put back. So every peer ends with the same history
     * whatever it had shown before it heard of a change. Listeners are told of both: what is taken out through
     * {@code retracted}, what is put back through {@code message}.
     */
    void rebuild(Conference c, Set<Integer> rekeyed) {
        for (ChatEntry e : List.copyOf(c.history.values())) {
            TreeMap<Long, ChatMessage> byAuthor = c.chat.get(e.author());
            ChatMessage m = byAuthor == null ? null : byAuthor.get(e.id().sequence());
            if (m == null) continue;
            String reason = Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID ? "invalid by membership"
                    : rekeyed.contains(m.keyEpoch()) && Keys.read(c, m) == null ? "unreadable" : null;
            if (reason == null) continue;
            c.history.remove(e);
            c.entries.remove(e.id());
            if (m.author().equals(s.self)) failOwn(c, m.sequence(), "invalid after a removal, or under a key that lost a conflict");
            log.debug("{}: chat {} taken out of the history: {}", s.label(), m.id(), reason);
            if (!c.restoring) dispatch.retracted(e, reason);
        }
        // Shown before its check and not held yet (SECURITY.md 2.2): taken out now as a held one is, not when its
        // check comes back. A removal keeps what its remover delivered, so a message of the removed peer the remover
        // showed unchecked was beyond it, yet stayed shown after the removal returned (MembershipModelTest in CI).
        for (var shownBy : List.copyOf(c.unchecked.entrySet())) {
            TreeMap<Long, Unchecked> shown = shownBy.getValue();
            for (Unchecked u : List.copyOf(shown.values())) {
                ChatMessage m = u.message();
                String reason = Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID ? "invalid by membership"
                        : rekeyed.contains(m.keyEpoch()) && Keys.read(c, m) == null ? "unreadable" : null;
                if (reason == null) continue;
                shown.remove(m.sequence());
                unshow(c, u, reason);
            }
            if (shown.isEmpty()) c.unchecked.remove(shownBy.getKey());
        }
        for (var id : List.copyOf(c.eventIds)) {
            TreeMap<Long, ChatMessage> byAuthor = c.chat.get(id.author());
            ChatMessage m = byAuthor == null ? null : byAuthor.get(id.sequence());
            if (m == null) continue;
            boolean invalid = Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID;
            if (invalid || rekeyed.contains(m.keyEpoch()) && Keys.readBytes(c, m) == null) {
                typed.retract(c, id, invalid ? "invalid by membership" : "unreadable");
                if (m.author().equals(s.self)) failOwn(c, m.sequence(), "invalid after a removal, or under a key that lost a conflict");
                log.debug("{}: event {} taken out", s.label(), id);
            }
        }
        for (var byAuthor : c.chat.entrySet()) {
            if (s.banned.contains(byAuthor.getKey())) continue;
            long upTo = c.contiguous.getOrDefault(byAuthor.getKey(), 0L);
            for (ChatMessage m : byAuthor.getValue().headMap(upTo, true).values()) {
                if (c.entries.containsKey(m.id()) || c.eventIds.contains(m.id()) || c.equivocations.containsKey(m.id())
                        || receipts.refuted(c, m)
                        || Membership.verdict(c, m, MAX_FUTURE) != Membership.Verdict.VALID) continue;
                if (s.frontiers.check(c, m, s.banned, MAX_FUTURE) != Frontiers.Verdict.VALID) continue;
                byte[] plain = Keys.readBytes(c, m);
                if (plain == null) continue;
                java.util.Optional<MessageId> replyTo = java.util.Optional.empty();
                String text;
                TypedEvents.Parsed p = TypedEvents.isTyped(plain) ? TypedEvents.parse(plain) : null;
                List<PeerId> mentions = List.of();
                if (Mentions.is(p)) {
                    Mentions.Unwrapped u = mentionsOf(m, p);
                    if (u == null) continue;
                    mentions = u.mentions();
                    plain = u.inner();
                    p = TypedEvents.isTyped(plain) ? TypedEvents.parse(plain) : null;
                }
                if (SocialCodecs.isReply(p)) {
                    SocialCodecs.ReplyText r = replyOf(m, p);
                    if (r == null) continue;
                    replyTo = java.util.Optional.of(r.to());
                    text = r.text();
                } else if (TypedEvents.isTyped(plain)) {
                    // Valid again: delivered again if its type is registered (an unknown type was counted once already).
                    if (p != null && typed.type(p.key()) != null) typed.received(c, m, plain);
                    continue;
                } else {
                    text = new String(plain, StandardCharsets.UTF_8);
                }
                ChatEntry entry = edits.present(c, new ChatEntry(c.id, m.id(), m.timestamp(), s.nameOf(m.author()), text, false, replyTo)
                        .withMentions(mentions));
                c.history.put(entry, entry);
                c.entries.put(entry.id(), entry);
                dispatch.message(entry);
            }
        }
    }

    /** A mention's peers and inner plaintext, or null (counted as a malformed event) if its value is not well-formed. */
    private Mentions.Unwrapped mentionsOf(ChatMessage m, TypedEvents.Parsed p) {
        try {
            return Mentions.unwrap(p.value());
        } catch (IllegalArgumentException e) {
            typed.malformed.increment();
            log.debug("{}: mention {} is malformed: {}", s.label(), m.id(), e.getMessage());
            return null;
        }
    }

    /** A reply's text and reference, or null (counted as a malformed event) if its value is not well-formed. */
    private SocialCodecs.ReplyText replyOf(ChatMessage m, TypedEvents.Parsed p) {
        try {
            return SocialCodecs.reply(p.value());
        } catch (IllegalArgumentException e) {
            typed.malformed.increment();
            log.debug("{}: reply {} is malformed: {}", s.label(), m.id(), e.getMessage());
            return null;
        }
    }

    /** Records a delivered message, publishes it and tells listeners. */
    ChatEntry deliver(Conference c, ChatMessage m, String text, boolean own) {
        return deliver(c, m, text, java.util.Optional.empty(), own);
    }

    /** Records a delivered message (a reply if {@code replyTo} is present), publishes it and tells listeners. */
    ChatEntry deliver(Conference c, ChatMessage m, String text, java.util.Optional<MessageId> replyTo, boolean own) {
        return deliver(c, m, text, replyTo, List.of(), own);
    }

    /**
     * Records a delivered message (a reply if {@code replyTo} is present, mentioning {@code mentions}), publishes it
     * and tells listeners ({@code mentioned} too, if it mentions this peer and is not its own).
     */
    ChatEntry deliver(Conference c, ChatMessage m, String text, java.util.Optional<MessageId> replyTo, List<PeerId> mentions, boolean own) {
        // Shown already before its check (this very message, still shown): listeners are not told again.
        TreeMap<Long, Unchecked> early = c.unchecked.isEmpty() ? null : c.unchecked.get(m.author());
        Unchecked u = early == null ? null : early.remove(m.sequence());
        if (u != null) {
            if (early.isEmpty()) c.unchecked.remove(m.author());
            if ((u.message() == m || sameMessage(u.message(), m)) && c.entries.get(m.id()) == u.entry()) {
                // Its entry (built from the same message, read with the same key) stays: only the log takes it in.
                c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
                c.contiguous.put(m.author(), m.sequence());
                return u.entry();
            }
            unshow(c, u, "another message took its sequence");
        }
        c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
        c.contiguous.put(m.author(), m.sequence());
        String name = c.restoring ? c.restoredNames.getOrDefault(m.id(), m.author().shortId()) : s.nameOf(m.author());
        boolean pending = own || (c.restoring && m.author().equals(s.self) && c.unacknowledged.contains(m.sequence()));
        ChatEntry entry = new ChatEntry(c.id, m.id(), m.timestamp(), name, text, pending, replyTo).withMentions(mentions);
        c.history.put(entry, entry);
        c.entries.put(entry.id(), entry);
        // A banned author's message held before the ban and delivered during it fills its sequence but is not shown
        // (history() leaves it out while the ban holds; after an unban it is there, as a message restored from disk).
        if (!c.restoring && !s.banned.contains(m.author())) dispatch.message(entry);
        if (!c.restoring && !own && mentions.contains(s.self) && !s.banned.contains(m.author())) dispatch.fire(l -> l.mentioned(entry));
        return entry;
    }
}

package dev.convene.conference.internal;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.MessageId;
import dev.convene.conference.NotAllowedException;
import dev.convene.conference.Post;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits and deletes of chat messages by their author (docs/EVENTS.md "Edits and deletes", PROTOCOL.md §2 Built-in
 * types). Both travel on the chat path as typed plaintexts handled here, not through the type registry:
 * <ul>
 *   <li>{@code convene.edit}/1: a reference to the message and its new text (UTF-8, as a reply's);</li>
 *   <li>{@code convene.delete}/1: a reference, the message's timestamp (8 bytes of wall milliseconds and 4 of
 *       counter, big endian), a count (1 byte, 1 to {@link #MAX_ERASED}) and that many sequences (8 bytes each) of
 *       the author's messages it erases: the message and its edits.</li>
 * </ul>
 * Only the author of a message may edit or delete it: an edit or delete naming another author's message is refused
 * and counted wherever it arrives. A peer that applies a delete takes the erased messages out of what it holds, so
 * it never sends them in catch-up, and erases their rows from its store. A peer that never held them is given the
 * delete instead: the gap it leaves in the author's sequence is settled by the delete that names it (signed by the
 * same author, held after the gap), and the history shows a tombstone at the timestamp the delete names. Engine
 * thread, except the counters.
 */
final class Edits {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    /** The edit type's name. */
    static final String EDIT_NAME = "convene.edit";
    /** The delete type's name. */
    static final String DELETE_NAME = "convene.delete";
    /** The version of both. */
    static final int VERSION = 1;
    /** The most edits of one message; a message edited this often can still be deleted. */
    static final int MAX_EDITS = 64;
    /** The most messages one delete erases: the message and its edits. */
    static final int MAX_ERASED = MAX_EDITS + 1;
    /**
     * How far back in its author's sequence a delete may reach: every message it erases is among the author's last
     * this many before the delete. A peer catching up holds at most {@link ConferenceEngine#MAX_AHEAD} messages
     * beyond a gap, so the delete that settles a gap must be within reach of it.
     */
    static final int DELETE_WINDOW = (int) (ConferenceEngine.MAX_AHEAD / 2);
    /** The most held messages scanned for deletes per conference before the record of what was scanned starts again. */
    private static final int MAX_SCANNED = 8192;

    private final EngineState s;
    private final Dispatch dispatch;

    final LongAdder edits = new LongAdder();
    final LongAdder deletes = new LongAdder();
    /** Edits and deletes refused: by another than the message's author, or malformed. */
    final LongAdder refused = new LongAdder();
    /** Edits and deletes that changed nothing: of a message unknown here, deleted already, or out of bounds. */
    final LongAdder ignored = new LongAdder();

    /** Per conference: what edits and deletes did. */
    private static final class State {
        /** Per edited message, the sequences of its edits (its author's), in order. */
        final Map<MessageId, List<Long>> editSequences = new HashMap<>();
        /** The messages deleted. */
        final Set<MessageId> deleted = new HashSet<>();
        /** Per author, the sequences a held delete names as erased (so the gap they leave is settled). */
        final Map<PeerId, Set<Long>> erasable = new HashMap<>();
        /** Held messages already read for deletes. */
        final Set<MessageId> scanned = new HashSet<>();
    }

    private final Map<ConferenceId, State> states = new HashMap<>();

    /** The signer of own posts (set by {@link ChatLog}): an own delete erases once the posts before it are stored. */
    ChatSigner signer;

    Edits(EngineState s, Dispatch dispatch) {
        this.s = s;
        this.dispatch = dispatch;
    }

    private State state(Conference c) {
        return states.computeIfAbsent(c.id, k -> new State());
    }

    // ---- wire ---------------------------------------------------------------------------------------------

    /** A decoded delete. */
    record Delete(MessageId to, HlcTimestamp timestamp, List<Long> erased) {
    }

    static boolean isEdit(TypedEvents.Parsed p) {
        return p != null && p.version() == VERSION && p.name().equals(EDIT_NAME);
    }

    static boolean isDelete(TypedEvents.Parsed p) {
        return p != null && p.version() == VERSION && p.name().equals(DELETE_NAME);
    }

    static byte[] editPlaintext(MessageId to, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(SocialCodecs.REFERENCE_BYTES + t.length);
        SocialCodecs.writeReference(to, b);
        b.put(t);
        return TypedEvents.plaintext(EDIT_NAME, VERSION, b.array());
    }

    static byte[] deletePlaintext(MessageId to, HlcTimestamp ts, List<Long> erased) {
        ByteBuffer b = ByteBuffer.allocate(SocialCodecs.REFERENCE_BYTES + 13 + 8 * erased.size());
        SocialCodecs.writeReference(to, b);
        b.putLong(ts.wallMillis()).putInt(ts.counter()).put((byte) erased.size());
        erased.forEach(b::putLong);
        return TypedEvents.plaintext(DELETE_NAME, VERSION, b.array());
    }

    /** Decodes a delete's value; throws IllegalArgumentException unless it is well-formed. */
    static Delete delete(byte[] value) {
        if (value.length < SocialCodecs.REFERENCE_BYTES + 13 + 8 || value.length > SocialCodecs.REFERENCE_BYTES + 13 + 8 * MAX_ERASED) {
            throw new IllegalArgumentException("delete: " + value.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        MessageId to = SocialCodecs.readReference(in);
        long wall = in.getLong();
        int counter = in.getInt();
        if (wall < 0 || counter < 0) throw new IllegalArgumentException("delete: bad timestamp");
        int n = in.get() & 0xFF;
        if (n < 1 || n > MAX_ERASED || in.remaining() != 8 * n) throw new IllegalArgumentException("delete: count " + n);
        TreeSet<Long> erased = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            long seq = in.getLong();
            if (seq < 1 || !erased.add(seq)) throw new IllegalArgumentException("delete: sequence " + seq);
        }
        if (!erased.contains(to.sequence())) throw new IllegalArgumentException("delete: does not erase its message");
        HlcTimestamp ts;
        try {
            ts = new HlcTimestamp(wall, counter);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("delete: bad timestamp", e);
        }
        return new Delete(to, ts, List.copyOf(erased));
    }

    // ---- publishing (engine thread) ----------------------------------------------------------------------

    /** Edits an own chat message: checked here, then posted and applied as any peer applies it. */
    Post edit(Operations ops, Conference c, MessageId to, String text) {
        java.util.Objects.requireNonNull(to, "to");
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length == 0 || text.isBlank()) {
            throw new InvalidInputException(InvalidInputException.TEXT, "empty", "1-" + SocialCodecs.MAX_REPLY_TEXT_BYTES + " bytes, not blank");
        }
        if (plain.length > SocialCodecs.MAX_REPLY_TEXT_BYTES) {
            throw new InvalidInputException(InvalidInputException.TEXT, plain.length + " bytes", "<= " + SocialCodecs.MAX_REPLY_TEXT_BYTES + " bytes");
        }
        ChatEntry target = own(c, to);
        if (state(c).editSequences.getOrDefault(to, List.of()).size() >= MAX_EDITS) {
            throw new NotAllowedException(c.id, NotAllowedException.Rule.MESSAGE_NOT_EDITABLE);
        }
        Operations.Sent sent = ops.post(c, editPlaintext(target.id(), text));
        ChatEntry latest = applyEdit(c, sent.m(), to, text);
        return posted(ops, c, sent, latest);
    }

    /** Deletes an own chat message: checked here, then posted and applied as any peer applies it. */
    Post delete(Operations ops, Conference c, MessageId to) {
        java.util.Objects.requireNonNull(to, "to");
        ChatEntry target = own(c, to);
        long next = Math.max(c.ownSequence, c.contiguous.getOrDefault(s.self, 0L)) + 1;
        if (to.sequence() < next - DELETE_WINDOW) throw new NotAllowedException(c.id, NotAllowedException.Rule.MESSAGE_NOT_EDITABLE);
        List<Long> erased = new ArrayList<>();
        erased.add(to.sequence());
        erased.addAll(state(c).editSequences.getOrDefault(to, List.of()));
        Operations.Sent sent = ops.post(c, deletePlaintext(to, target.timestamp(), erased));
        ChatEntry tombstone = applyDelete(c, sent.m(), new Delete(to, target.timestamp(), List.copyOf(new TreeSet<>(erased))));
        return posted(ops, c, sent, tombstone);
    }

    private ChatEntry own(Conference c, MessageId to) {
        if (!to.author().equals(s.self)) throw new NotAllowedException(c.id, NotAllowedException.Rule.AUTHOR_ONLY);
        ChatEntry target = c.entries.get(to);
        if (target == null || target.deleted()) throw new NotAllowedException(c.id, NotAllowedException.Rule.MESSAGE_NOT_EDITABLE);
        return target;
    }

    private Post posted(Operations ops, Conference c, Operations.Sent sent, ChatEntry entry) {
        ChatMessage m = sent.m();
        c.chat.computeIfAbsent(s.self, a -> new TreeMap<>()).put(m.sequence(), m);
        c.contiguous.put(s.self, m.sequence());
        c.eventIds.add(m.id()); // so its acknowledgement completes its futures (Acks)
        ops.send(c, m);
        MessageId id = entry.id();
        return new Post(entry, sent.acked().thenApply(x -> current(c, id, entry)), sent.all().thenApply(x -> current(c, id, entry)));
    }

    /** The entry as it is now (acknowledgements complete on the engine thread). */
    private static ChatEntry current(Conference c, MessageId id, ChatEntry fallback) {
        return c.entries.getOrDefault(id, fallback);
    }

    // ---- receiving (engine thread) -----------------------------------------------------------------------

    /** An edit or delete delivered in its author's sequence (decrypted, valid by membership). */
    void received(Conference c, ChatMessage m, TypedEvents.Parsed p) {
        c.eventIds.add(m.id());
        try {
            if (isEdit(p)) {
                SocialCodecs.ReplyText r = SocialCodecs.reply(p.value());
                if (!authorOnly(c, m, r.to())) return;
                applyEdit(c, m, r.to(), r.text());
            } else {
                Delete d = delete(p.value());
                if (!authorOnly(c, m, d.to())) return;
                if (!inWindow(m, d)) {
                    ignored.increment();
                    log.debug("{}: delete {} reaches beyond its author's last {} messages: ignored", s.label(), m.id(), DELETE_WINDOW);
                    return;
                }
                applyDelete(c, m, d);
            }
        } catch (IllegalArgumentException e) {
            refused.increment();
            log.debug("{}: {} {} is malformed: {}", s.label(), p.name(), m.id(), e.getMessage());
        }
    }

    private boolean authorOnly(Conference c, ChatMessage m, MessageId to) {
        if (to.author().equals(m.author()) && to.sequence() < m.sequence()) return true;
        refused.increment();
        if (s.overlay != null && !c.restoring) s.overlay.countDrop(dev.convene.overlay.DropReason.REJECTED);
        log.debug("{}: {} by {} names {}: only its author may edit or delete a message", s.label(), m.id(), m.author().shortId(), to);
        return false;
    }

    private static boolean inWindow(ChatMessage m, Delete d) {
        for (long seq : d.erased()) if (seq >= m.sequence() || seq < m.sequence() - DELETE_WINDOW) return false;
        return true;
    }

    /** Applies an edit by the message's author; returns the entry as it is now (null if nothing changed). */
    private ChatEntry applyEdit(Conference c, ChatMessage m, MessageId to, String text) {
        State st = state(c);
        List<Long> seqs = st.editSequences.computeIfAbsent(to, k -> new ArrayList<>());
        if (!seqs.contains(m.sequence())) seqs.add(m.sequence()); // an edit's slot is erased with its message
        ChatEntry target = c.entries.get(to);
        if (target == null || target.deleted() || st.deleted.contains(to) || seqs.size() > MAX_EDITS) {
            ignored.increment();
            log.debug("{}: edit {} of {}: not a message shown here, deleted, or edited too often; ignored", s.label(), m.id(), to);
            return null;
        }
        // Each author's messages are delivered in its sequence, so this edit is the latest in history order.
        ChatEntry latest = target.withEdit(text);
        replace(c, target, latest);
        edits.increment();
        if (!c.restoring && !s.banned.contains(to.author())) dispatch.edited(latest);
        return latest;
    }

    /** Applies a delete by the message's author: erases what it names, shows a tombstone. Returns the tombstone. */
    private ChatEntry applyDelete(Conference c, ChatMessage m, Delete d) {
        State st = state(c);
        MessageId to = d.to();
        if (st.deleted.contains(to)) {
            ignored.increment();
            return null;
        }
        ChatEntry target = c.entries.get(to);
        TreeMap<Long, ChatMessage> held = c.chat.get(to.author());
        boolean heldHere = held != null && held.containsKey(to.sequence());
        if (target == null && heldHere) {
            // Held, but not shown as chat here (a typed event, or settled unshown): not a message a delete applies to.
            ignored.increment();
            log.debug("{}: delete {} names {}, which is not chat shown here; ignored", s.label(), m.id(), to);
            return null;
        }
        st.deleted.add(to);
        // What this peer erases: the message and every edit of it it holds (for an honest author, what the delete lists).
        Set<Long> erase = new TreeSet<>();
        erase.add(to.sequence());
        erase.addAll(st.editSequences.getOrDefault(to, List.of()));
        if (held != null) erase.forEach(held::remove);
        List<Long> rows = List.copyOf(erase);
        if (signer != null && to.author().equals(s.self)) {
            // An own post may still wait for its batch's signature and be stored after this: erase once what was
            // queued before this delete is stored (the signer completes its futures after the commit, in order).
            signer.lastSent().whenComplete((v, e) -> s.writer.erase(c.id, to.author(), rows));
        } else {
            s.writer.erase(c.id, to.author(), rows);
        }
        st.editSequences.remove(to);
        c.restoredNames.remove(to);
        ChatEntry tombstone;
        if (target != null) {
            tombstone = target.asDeleted();
            replace(c, target, tombstone);
        } else {
            // Never held here (erased before this peer caught up): the place is the one its author's delete names.
            String name = c.restoring ? c.restoredNames.getOrDefault(m.id(), to.author().shortId()) : s.nameOf(to.author());
            tombstone = new ChatEntry(c.id, to, d.timestamp(), name, "", false, java.util.Optional.empty(), false, true, List.of());
            c.history.put(tombstone, tombstone);
            c.entries.put(to, tombstone);
        }
        deletes.increment();
        log.debug("{}: {} deleted by its author; {} stored messages erased", s.label(), to, erase.size());
        if (!c.restoring && !s.banned.contains(to.author())) dispatch.deleted(tombstone);
        return tombstone;
    }

    private static void replace(Conference c, ChatEntry old, ChatEntry now) {
        if (c.history.containsKey(old)) c.history.put(old, now); // same key in canonical order
        c.entries.put(now.id(), now);
    }

    /** An entry put back in a history ({@link ChatLog#rebuild}): as edits and deletes left it. */
    ChatEntry present(Conference c, ChatEntry e) {
        State st = states.get(c.id);
        return st != null && st.deleted.contains(e.id()) ? e.asDeleted() : e;
    }

    /**
     * Whether the gap at {@code author}'s {@code sequence} is settled by a delete: a message of the same author held
     * after it, readable and valid by membership, that names the sequence as erased. Reads each held message once.
     */
    boolean erased(Conference c, PeerId author, long sequence) {
        State st = state(c);
        TreeMap<Long, ChatMessage> held = c.chat.get(author);
        if (held == null) return false;
        if (st.scanned.size() > MAX_SCANNED) st.scanned.clear();
        for (ChatMessage later : held.tailMap(sequence, false).headMap(sequence + DELETE_WINDOW, true).values()) {
            if (!st.scanned.add(later.id())) continue;
            byte[] plain = Keys.readBytes(c, later);
            if (plain == null) {
                st.scanned.remove(later.id()); // its key may still come
                continue;
            }
            TypedEvents.Parsed p = TypedEvents.isTyped(plain) ? TypedEvents.parse(plain) : null;
            if (!isDelete(p)) continue;
            Membership.Verdict verdict = Membership.verdict(c, later, ConferenceEngine.MAX_FUTURE);
            if (verdict == Membership.Verdict.UNDECIDED) st.scanned.remove(later.id()); // its author's answer may still come
            if (verdict != Membership.Verdict.VALID) continue;
            try {
                Delete d = delete(p.value());
                if (d.to().author().equals(author) && inWindow(later, d)) {
                    st.erasable.computeIfAbsent(author, a -> new HashSet<>()).addAll(d.erased());
                }
            } catch (IllegalArgumentException e) {
                // counted when it is delivered
            }
        }
        Set<Long> erasable = st.erasable.get(author);
        return erasable != null && erasable.remove(sequence);
    }
}

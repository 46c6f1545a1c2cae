package dev.convene.conference.internal;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.Post;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Mentions (PROTOCOL.md §2, Mentions): a chat message that mentions participants carries their ids, resolved by
 * its author when it sent it, around its plaintext: {@code convene.mention}/1 whose value is a count (1 byte, 1 to
 * {@link #MAX_MENTIONS}), that many peer ids (32 ASCII bytes each, distinct) and the inner plaintext, which is a
 * chat text (UTF-8) or a reply ({@code convene.reply}/1), never another mention. A receiver never resolves names
 * itself: a name is not unique, and look-alike names exist. Engine thread.
 */
final class Mentions {
    /** The type's name. */
    static final String NAME = "convene.mention";
    /** Its version. */
    static final int VERSION = 1;
    /** The most peers one message mentions. */
    static final int MAX_MENTIONS = 16;

    private Mentions() {
    }

    /** A message's mentions and its inner plaintext. */
    record Unwrapped(List<PeerId> mentions, byte[] inner) {
    }

    static boolean is(TypedEvents.Parsed p) {
        return p != null && p.version() == VERSION && p.name().equals(NAME);
    }

    /** Checks the peers a post mentions; returns them in order, without repeats. */
    static List<PeerId> check(Collection<PeerId> mentions) {
        Set<PeerId> distinct = new LinkedHashSet<>(mentions);
        if (distinct.contains(null)) throw new NullPointerException("mentions");
        if (distinct.size() > MAX_MENTIONS) {
            throw new InvalidInputException(InvalidInputException.MENTIONS, distinct.size() + " peers", "<= " + MAX_MENTIONS);
        }
        return List.copyOf(distinct);
    }

    /** Wraps a chat plaintext with the peers it mentions (none: the plaintext as it is). */
    static byte[] wrap(List<PeerId> mentions, byte[] inner) {
        if (mentions.isEmpty()) return inner;
        ByteBuffer b = ByteBuffer.allocate(1 + PeerId.LENGTH * mentions.size() + inner.length);
        b.put((byte) mentions.size());
        for (PeerId p : mentions) b.put(p.value().getBytes(StandardCharsets.US_ASCII));
        b.put(inner);
        byte[] out = TypedEvents.plaintext(NAME, VERSION, b.array());
        if (out.length > Protocol.MAX_TEXT_BYTES) {
            throw new InvalidInputException(InvalidInputException.TEXT, out.length + " bytes with the mentions", "<= " + Protocol.MAX_TEXT_BYTES + " bytes");
        }
        return out;
    }

    /** Unwraps a mention's value; throws IllegalArgumentException unless it is well-formed. */
    static Unwrapped unwrap(byte[] value) {
        if (value.length < 2) throw new IllegalArgumentException("mention: too short");
        ByteBuffer in = ByteBuffer.wrap(value);
        int n = in.get() & 0xFF;
        if (n < 1 || n > MAX_MENTIONS || in.remaining() < n * PeerId.LENGTH + 1) throw new IllegalArgumentException("mention: count " + n);
        Set<PeerId> ids = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[PeerId.LENGTH];
            in.get(id);
            for (byte x : id) {
                if (!(x >= 'a' && x <= 'z' || x >= '2' && x <= '7')) throw new IllegalArgumentException("mention: not a peer id");
            }
            if (!ids.add(new PeerId(new String(id, StandardCharsets.US_ASCII)))) throw new IllegalArgumentException("mention: a peer twice");
        }
        byte[] inner = new byte[in.remaining()];
        in.get(inner);
        if (TypedEvents.isTyped(inner) && !SocialCodecs.isReply(TypedEvents.parse(inner))) {
            throw new IllegalArgumentException("mention: wraps neither text nor a reply");
        }
        return new Unwrapped(List.copyOf(ids), inner);
    }

    /** Posts a chat message (a reply if {@code to} is not null) that mentions {@code mentions}. */
    static Post say(Operations ops, ChatLog chat, EngineState s, Conference c, String text, dev.convene.conference.MessageId to,
                    Collection<PeerId> mentions) {
        List<PeerId> who = check(mentions);
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        int max = to == null ? Protocol.MAX_TEXT_BYTES : SocialCodecs.MAX_REPLY_TEXT_BYTES;
        if (plain.length == 0 || text.isBlank()) throw new InvalidInputException(InvalidInputException.TEXT, "empty", "1-" + max + " bytes, not blank");
        if (plain.length > max) throw new InvalidInputException(InvalidInputException.TEXT, plain.length + " bytes", "<= " + max + " bytes");
        byte[] inner = to == null ? plain : SocialCodecs.replyPlaintext(to, text);
        Operations.Sent sent = ops.post(c, wrap(who, inner));
        ChatEntry entry = chat.deliver(c, sent.m(), text, java.util.Optional.ofNullable(to), who, true);
        ops.send(c, sent.m());
        return new Post(entry, sent.acked(), sent.all());
    }
}

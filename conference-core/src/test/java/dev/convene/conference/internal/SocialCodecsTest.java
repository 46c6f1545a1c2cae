package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.BuiltInEvents;
import dev.convene.conference.EventType;
import dev.convene.conference.MessageId;
import dev.convene.conference.Reaction;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire of the built-in types, and the hostile bytes each decoder refuses. */
class SocialCodecsTest {
    private static final PeerId AUTHOR = PeerId.fromSigningKey(new byte[32]);
    private static final MessageId TO = new MessageId(AUTHOR, 42);

    private static byte[] ref(String author, long sequence) {
        ByteBuffer b = ByteBuffer.allocate(SocialCodecs.REFERENCE_BYTES);
        b.put(author.getBytes(StandardCharsets.US_ASCII));
        b.putLong(sequence);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    @Test
    void aReplyRoundTripsThroughItsTypedHeader() {
        byte[] plain = SocialCodecs.replyPlaintext(TO, "sure, 10:00 ✓");
        assertThat(TypedEvents.isTyped(plain)).isTrue();
        TypedEvents.Parsed p = TypedEvents.parse(plain);
        assertThat(p.key()).isEqualTo("convene.reply/1");
        assertThat(SocialCodecs.isReply(p)).isTrue();
        SocialCodecs.ReplyText r = SocialCodecs.reply(p.value());
        assertThat(r.to()).isEqualTo(TO);
        assertThat(r.text()).isEqualTo("sure, 10:00 ✓");
        // Another version or name is not a reply (an unknown type to this peer).
        assertThat(SocialCodecs.isReply(TypedEvents.parse(TypedEvents.plaintext("convene.reply", 2, p.value())))).isFalse();
        assertThat(SocialCodecs.isReply(TypedEvents.parse(TypedEvents.plaintext("convene.replyx", 1, p.value())))).isFalse();
        assertThat(SocialCodecs.isReply(null)).isFalse();
    }

    @Test
    void hostileRepliesAreRefused() {
        byte[] text = "hi".getBytes(StandardCharsets.UTF_8);
        String good = AUTHOR.value();
        assertThatThrownBy(() -> SocialCodecs.reply(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocialCodecs.reply(Arrays.copyOf(ref(good, 1), 39))).isInstanceOf(IllegalArgumentException.class);
        // Not a peer id: upper case, '1', '/', a control character.
        for (String bad : new String[] {good.toUpperCase(), "1" + good.substring(1), "/" + good.substring(1), "\n" + good.substring(1)}) {
            assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(bad, 1), text))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, 0), text))).hasMessageContaining("sequence");
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, -5), text))).hasMessageContaining("sequence");
        assertThatThrownBy(() -> SocialCodecs.reply(ref(good, 1))).hasMessageContaining("blank"); // no text
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, 1), " \n".getBytes(StandardCharsets.UTF_8)))).hasMessageContaining("blank");
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, 1), new byte[] {'a', (byte) 0xC3}))).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, 1), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})))
                .hasMessageContaining("UTF-8"); // an encoded surrogate
        byte[] huge = new byte[SocialCodecs.MAX_REPLY_TEXT_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> SocialCodecs.reply(concat(ref(good, 1), huge))).hasMessageContaining("too long");
        assertThat(SocialCodecs.reply(concat(ref(good, Long.MAX_VALUE), Arrays.copyOf(huge, huge.length - 1))).to().sequence())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(SocialCodecs.REFERENCE_BYTES + SocialCodecs.MAX_REPLY_TEXT_BYTES).isEqualTo(EventType.MAX_BYTES);
    }

    @Test
    void aReactionRoundTripsAndHostileOnesAreRefused() {
        for (Reaction r : new Reaction[] {new Reaction(TO, "👍", true), new Reaction(TO, "👨‍👩‍👧", false), new Reaction(TO, "🇫🇷", true),
                new Reaction(TO, "+1", true)}) {
            byte[] b = BuiltInEvents.REACTION.codec().encode(r);
            assertThat(b.length).isLessThanOrEqualTo(BuiltInEvents.REACTION.maxBytes());
            assertThat(BuiltInEvents.REACTION.codec().decode(b)).isEqualTo(r);
        }
        byte[] ok = SocialCodecs.encodeReaction(new Reaction(TO, "👍", true));
        byte[] flag2 = ok.clone();
        flag2[SocialCodecs.REFERENCE_BYTES] = 2;
        assertThatThrownBy(() -> SocialCodecs.decodeReaction(flag2)).hasMessageContaining("flag");
        assertThatThrownBy(() -> SocialCodecs.decodeReaction(ref(AUTHOR.value(), 1))).hasMessageContaining("flag");
        assertThatThrownBy(() -> SocialCodecs.decodeReaction(concat(ref(AUTHOR.value(), 1), new byte[] {1}))).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"\u0007", "a\u202Eb", "\u200B", " ", "👍\n", "\uE000", "x".repeat(9), "😀".repeat(9)}) {
            byte[] b = concat(ref(AUTHOR.value(), 1), new byte[] {1}, bad.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> SocialCodecs.decodeReaction(b)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SocialCodecs.decodeReaction(concat(ref(AUTHOR.value(), 1), new byte[] {1, (byte) 0xFF})))
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SocialCodecs.decodeReaction(concat(ref("a".repeat(32).replace('a', '9'), 1), new byte[] {1, 'x'})))
                .hasMessageContaining("peer id");
    }

    @Test
    void typingIsTheOneByteOne() {
        assertThat(BuiltInEvents.TYPING.codec().encode(true)).containsExactly(1);
        assertThat(BuiltInEvents.TYPING.codec().decode(new byte[] {1})).isTrue();
        for (byte[] bad : new byte[][] {{}, {0}, {2}, {1, 1}}) {
            assertThatThrownBy(() -> BuiltInEvents.TYPING.codec().decode(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> BuiltInEvents.TYPING.codec().encode(false)).isInstanceOf(IllegalArgumentException.class);
    }
}

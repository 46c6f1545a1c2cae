package dev.convene.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reaction and built-in type validation: emoji bounds and characters, the reserved namespace, ChatEntry's reference. */
class ReactionTest {
    private static final MessageId TO = new MessageId(PeerId.fromSigningKey(new byte[32]), 1);

    @Test
    void emojiAreShortAndFreeOfControlAndFormatCharacters() {
        for (String ok : new String[] {"👍", "❤️", "👨‍👩‍👧‍👦", "🇩🇪", "ok", "é"}) {
            assertThat(new Reaction(TO, ok, true).emoji()).isEqualTo(ok);
        }
        String[] bad = {"", "\u0000", "\u001B[31m", "\u007F", "\u200B", "\u202E", "\u2066", "\uFEFF", " ", "a b", "\u2028", "\uE000",
                "\uD83D", "\u0378", "x".repeat(Reaction.MAX_EMOJI_CODE_POINTS + 1), "é".repeat(17)};
        for (String b : bad) {
            assertThatThrownBy(() -> new Reaction(TO, b, true)).as("%s", b.codePoints().mapToObj(Integer::toHexString).toList())
                    .isInstanceOf(InvalidInputException.class)
                    .extracting(e -> ((InvalidInputException) e).field()).isEqualTo(InvalidInputException.EMOJI);
        }
        assertThat("é".repeat(16).getBytes(StandardCharsets.UTF_8)).hasSize(Reaction.MAX_EMOJI_BYTES);
        assertThatThrownBy(() -> new Reaction(TO, "é".repeat(16), true)).isInstanceOf(InvalidInputException.class); // 16 code points
        assertThatThrownBy(() -> new Reaction(null, "👍", true)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theReservedNamespaceIsRefusedToApplications() {
        EventType<String> mine = EventType.of("convene.reaction", 1, TestEvents.VOTE_CODEC, Delivery.DURABLE);
        EventType<String> other = EventType.of("convene.poll", 3, TestEvents.VOTE_CODEC, Delivery.EPHEMERAL);
        var b = ConferencePeer.builder(dev.convene.overlay.OverlayConfig.builder("x").build(), dev.convene.overlay.Identity.generate());
        for (EventType<String> t : java.util.List.of(mine, other)) {
            assertThatThrownBy(() -> b.eventType(t)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        }
        assertThat(BuiltInEvents.reserved("convene.typing")).isTrue();
        assertThat(BuiltInEvents.reserved("convenex.typing")).isFalse();
        assertThat(BuiltInEvents.reserved("com.convene.typing")).isFalse();
        b.eventType(EventType.of("com.example.convene", 1, TestEvents.VOTE_CODEC, Delivery.DURABLE)); // not reserved
    }

    @Test
    void aChatEntryKeepsItsReferenceWhenItsPendingFlagChanges() {
        ConferenceId c = ConferenceId.random();
        ChatEntry plain = new ChatEntry(c, TO, new HlcTimestamp(1, 0), "a", "t", true);
        assertThat(plain.replyTo()).isEmpty();
        MessageId target = new MessageId(TO.author(), 7);
        ChatEntry reply = new ChatEntry(c, new MessageId(TO.author(), 2), new HlcTimestamp(2, 0), "a", "t", true, java.util.Optional.of(target));
        assertThat(reply.withPending(false).replyTo()).contains(target);
        assertThat(reply.withPending(false).pending()).isFalse();
        assertThatThrownBy(() -> new ChatEntry(c, TO, new HlcTimestamp(1, 0), "a", "t", true, null)).isInstanceOf(NullPointerException.class);
    }
}

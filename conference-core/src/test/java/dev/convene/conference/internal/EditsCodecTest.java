package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire of edits and deletes: round trips, and hostile values refused. */
class EditsCodecTest {
    private static final MessageId TO = new MessageId(new PeerId("a".repeat(PeerId.LENGTH)), 3);
    private static final HlcTimestamp AT = new HlcTimestamp(1_700_000_000_000L, 2);

    private static byte[] value(byte[] plain) {
        return TypedEvents.parse(plain).value();
    }

    @Test
    void roundTrips() {
        TypedEvents.Parsed edit = TypedEvents.parse(Edits.editPlaintext(TO, "it's \"x\" 🎉"));
        assertThat(Edits.isEdit(edit)).isTrue();
        assertThat(Edits.isDelete(edit)).isFalse();
        assertThat(SocialCodecs.reply(edit.value())).isEqualTo(new SocialCodecs.ReplyText(TO, "it's \"x\" 🎉"));
        TypedEvents.Parsed delete = TypedEvents.parse(Edits.deletePlaintext(TO, AT, List.of(3L, 5L, 4L)));
        assertThat(Edits.isDelete(delete)).isTrue();
        assertThat(Edits.delete(delete.value())).isEqualTo(new Edits.Delete(TO, AT, List.of(3L, 4L, 5L)));
    }

    @Test
    void hostileDeletesAreRefused() {
        assertThatThrownBy(() -> Edits.delete(value(Edits.deletePlaintext(TO, AT, List.of())))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Edits.delete(value(Edits.deletePlaintext(TO, AT, List.of(4L))))).hasMessageContaining("does not erase");
        assertThatThrownBy(() -> Edits.delete(value(Edits.deletePlaintext(TO, AT, List.of(3L, 3L))))).hasMessageContaining("sequence 3");
        assertThatThrownBy(() -> Edits.delete(value(Edits.deletePlaintext(TO, AT, List.of(3L, 0L))))).hasMessageContaining("sequence 0");
        List<Long> many = new ArrayList<>();
        for (long i = 1; i <= Edits.MAX_ERASED + 1; i++) many.add(i);
        assertThatThrownBy(() -> Edits.delete(value(Edits.deletePlaintext(TO, AT, many)))).isInstanceOf(IllegalArgumentException.class);
        byte[] good = value(Edits.deletePlaintext(TO, AT, List.of(3L)));
        byte[] count = good.clone();
        count[SocialCodecs.REFERENCE_BYTES + 12] = 2; // says two, holds one
        assertThatThrownBy(() -> Edits.delete(count)).hasMessageContaining("count");
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putLong(SocialCodecs.REFERENCE_BYTES, -1);
        assertThatThrownBy(() -> Edits.delete(negative)).hasMessageContaining("timestamp");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> Edits.delete(truncated)).isInstanceOf(IllegalArgumentException.class);
        byte[] badRef = good.clone();
        badRef[0] = '!';
        assertThatThrownBy(() -> Edits.delete(badRef)).hasMessageContaining("reference");
    }
}

package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The typed plaintext: its header round-trips, a malformed one is refused, and chat text is never taken for one. */
class TypedEventsTest {

    @Test
    void aTypedPlaintextRoundTrips() {
        byte[] plain = TypedEvents.plaintext(TestEvents.POLL, "yes".getBytes(StandardCharsets.UTF_8));
        assertThat(TypedEvents.isTyped(plain)).isTrue();
        TypedEvents.Parsed p = TypedEvents.parse(plain);
        assertThat(p.name()).isEqualTo("com.example.poll.vote");
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.key()).isEqualTo(TestEvents.POLL.key());
        assertThat(new String(p.value(), StandardCharsets.UTF_8)).isEqualTo("yes");
        TypedEvents.Parsed empty = TypedEvents.parse(TypedEvents.plaintext(TestEvents.POLL.withLimits(1, 1), new byte[0]));
        assertThat(empty.value()).isEmpty();
        assertThat(TypedEvents.parse(TypedEvents.plaintext(
                dev.convene.conference.EventType.of("a.b", 65535, TestEvents.VOTE_CODEC, dev.convene.conference.Delivery.DURABLE), new byte[1])).version())
                .isEqualTo(65535);
    }

    @Test
    void malformedHeadersAreRefused() {
        assertThat(TypedEvents.parse(new byte[]{(byte) 0xFF})).isNull();
        assertThat(TypedEvents.parse(new byte[]{(byte) 0xFF, 0, 0, 1})).isNull(); // empty name
        assertThat(TypedEvents.parse(new byte[]{(byte) 0xFF, 5, 'a', 'b', 0, 1})).isNull(); // name longer than the bytes
        assertThat(TypedEvents.parse(new byte[]{(byte) 0xFF, (byte) 200, 'a', 'b', 'c', 'd'})).isNull(); // name over the limit
        assertThat(TypedEvents.parse(new byte[]{(byte) 0xFF, 1, 0x07, 0, 1})).isNull(); // a control character
        assertThat(TypedEvents.parse("plain chat".getBytes(StandardCharsets.UTF_8))).isNull();
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(40)];
            r.nextBytes(junk);
            if (junk.length > 0) junk[0] = (byte) 0xFF;
            TypedEvents.Parsed p = TypedEvents.parse(junk); // never throws
            if (p != null) assertThat(p.name()).isNotEmpty();
        }
    }

    @Test
    void noChatTextIsTakenForATypedEvent() {
        // Chat bodies are String.getBytes(UTF_8): 0xFF never occurs in UTF-8, whatever the string (lone surrogates too).
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            char[] cs = new char[1 + r.nextInt(8)];
            for (int k = 0; k < cs.length; k++) cs[k] = (char) r.nextInt(Character.MAX_VALUE + 1);
            byte[] b = new String(cs).getBytes(StandardCharsets.UTF_8);
            assertThat(TypedEvents.isTyped(b)).isFalse();
            for (byte x : b) assertThat(x).isNotEqualTo((byte) 0xFF);
        }
        assertThat(TypedEvents.isTyped(new byte[0])).isFalse();
    }
}

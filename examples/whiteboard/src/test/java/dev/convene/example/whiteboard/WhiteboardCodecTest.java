package dev.convene.example.whiteboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Delivery;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's codec refuses what other peers could send it besides short printable tokens. */
class WhiteboardCodecTest {
    @Test
    void roundTripsATokenAndRefusesAnythingElse() {
        assertThat(Whiteboard.TOKEN.decode(Whiteboard.TOKEN.encode("ann#3"))).isEqualTo("ann#3");
        assertThatThrownBy(() -> Whiteboard.TOKEN.decode(new byte[] {(byte) 0xC3, 0x28})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Whiteboard.TOKEN.decode("a\u001b[2J".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Whiteboard.TOKEN.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Whiteboard.TOKEN.decode("x".repeat(65).getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strokesAreDurableAndCursorsEphemeral() {
        assertThat(Whiteboard.STROKE.key()).isEqualTo("demo.stroke/1");
        assertThat(Whiteboard.STROKE.delivery()).isEqualTo(Delivery.DURABLE);
        assertThat(Whiteboard.CURSOR.key()).isEqualTo("demo.cursor/1");
        assertThat(Whiteboard.CURSOR.delivery()).isEqualTo(Delivery.EPHEMERAL);
    }
}

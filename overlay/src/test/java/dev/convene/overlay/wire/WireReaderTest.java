package dev.convene.overlay.wire;

import static dev.convene.overlay.wire.WireBodies.bytes;
import static dev.convene.overlay.wire.WireBodies.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireBodies.Tree;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link WireWriter} and {@link WireReader} directly: every value round-trips, every bound holds. */
class WireReaderTest {
    private static final WireCodec<String> SHORT_STRING = new WireCodec<>() {
        @Override
        public void write(WireWriter out, String value) {
            out.writeString(value);
        }

        @Override
        public String read(WireReader in) {
            return in.readString(16);
        }
    };

    @Test
    void everyValueRoundTrips() {
        PeerId id = Identity.generate().id();
        Instant at = Instant.parse("2026-11-03T10:15:30.000000123Z");
        byte[] body = bytes(w -> w.writeBoolean(true).writeBoolean(false).writeByte(-7).writeInt(Integer.MIN_VALUE)
                .writeVarInt(300).writeLong(Long.MIN_VALUE).writeVarLong(Long.MAX_VALUE).writeString("grüße 👋")
                .writeNullableString(null).writeNullableString("x").writeBytes(new byte[] {1, 2, 3}).writeInstant(at)
                .writeDuration(Duration.ofMillis(-1500)).writePeerId(id).writeCollection(List.of("a", "bc"), SHORT_STRING)
                .write("nested", SHORT_STRING));
        WireReader in = reader(body);
        assertThat(in.readBoolean()).isTrue();
        assertThat(in.readBoolean()).isFalse();
        assertThat(in.readByte()).isEqualTo(-7);
        assertThat(in.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(in.readVarInt(0, 300)).isEqualTo(300);
        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(in.readVarLong(0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(in.readString(64)).isEqualTo("grüße 👋");
        assertThat(in.readNullableString(8)).isNull();
        assertThat(in.readNullableString(8)).isEqualTo("x");
        assertThat(in.readBytesExactly(3)).containsExactly(1, 2, 3);
        assertThat(in.readInstant()).isEqualTo(at);
        assertThat(in.readDuration()).isEqualTo(Duration.ofMillis(-1500));
        assertThat(in.readPeerId()).isEqualTo(id);
        assertThat(in.readList(2, SHORT_STRING)).containsExactly("a", "bc");
        assertThat(in.read(SHORT_STRING)).isEqualTo("nested");
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    void readingPastTheEndIsAWireFormatExceptionNotAnUnderflow() {
        assertThatThrownBy(() -> reader(new byte[0]).readBoolean()).isInstanceOf(WireFormatException.class).hasMessageContaining("boolean");
        assertThatThrownBy(() -> reader(new byte[3]).readInt()).isInstanceOf(WireFormatException.class).hasMessageContaining("int");
        assertThatThrownBy(() -> reader(new byte[7]).readLong()).isInstanceOf(WireFormatException.class).hasMessageContaining("long");
        assertThatThrownBy(() -> reader(new byte[0]).readVarInt(0, 10)).isInstanceOf(WireFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> reader(new byte[] {(byte) 0x80}).readVarLong(0, 10)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeVarInt(5))).readBytes(10)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("needs 5 bytes");
    }

    @Test
    void valuesOutsideTheirRangeAreRefusedWithTheRange() {
        assertThatThrownBy(() -> reader(new byte[] {2}).readBoolean()).hasMessageContaining("expected: 0 or 1");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeVarInt(11))).readVarInt(0, 10)).isInstanceOf(WireFormatException.class)
                .hasMessage("varint: 11 (expected: 0-10)");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeVarLong(5))).readVarLong(6, 10)).hasMessage("varlong: 5 (expected: 6-10)");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeBytes(new byte[5]))).readBytes(4)).hasMessageContaining("expected: 0-4");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeBytes(new byte[3]))).readBytesExactly(4))
                .hasMessageContaining("3 bytes (expected: 4)");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeString("toolong"))).readString(3)).hasMessageContaining("expected: 0-3");
    }

    @Test
    void aDeclaredLengthOfTwoBillionIsRefusedBeforeAnyAllocation() {
        byte[] lie = bytes(w -> w.writeVarInt(2_000_000_000).writeByte(1));
        assertThatThrownBy(() -> reader(lie).readString(Integer.MAX_VALUE)).isInstanceOf(WireFormatException.class)
                .hasMessage("byte array: needs 2000000000 bytes (expected: <= 1 left)");
    }

    @Test
    void invalidUtf8IsRefused() {
        assertThatThrownBy(() -> reader(bytes(w -> w.writeBytes(new byte[] {(byte) 0xC3, 0x28}))).readString(10))
                .isInstanceOf(WireFormatException.class).hasMessage("string: not valid UTF-8");
    }

    @Test
    void timesOutsideTheirTypesRangeAreRefused() {
        assertThatThrownBy(() -> reader(bytes(w -> w.writeLong(Long.MAX_VALUE).writeVarInt(0))).readInstant())
                .isInstanceOf(WireFormatException.class).hasMessageContaining("instant");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeLong(0).writeVarInt(1_000_000_000))).readInstant())
                .isInstanceOf(WireFormatException.class).hasMessageContaining("varint");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeLong(1).writeVarInt(1_000_000_000))).readDuration())
                .isInstanceOf(WireFormatException.class).hasMessageContaining("varint");
        // Nanos are capped below a second, so even the extremes are valid durations.
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        assertThat(reader(bytes(w -> w.writeDuration(longest))).readDuration()).isEqualTo(longest);
        assertThat(reader(bytes(w -> w.writeDuration(Duration.ofSeconds(Long.MIN_VALUE)))).readDuration())
                .isEqualTo(Duration.ofSeconds(Long.MIN_VALUE));
    }

    @Test
    void malformedPeerIdIsRefused() {
        assertThatThrownBy(() -> reader(bytes(w -> w.writeString("not-an-id"))).readPeerId())
                .isInstanceOf(WireFormatException.class).hasMessage("peer id: malformed");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeString("a".repeat(33)))).readPeerId())
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void listCountIsBoundedByItsMaximumAndByTheBytesLeft() {
        assertThatThrownBy(() -> reader(bytes(w -> w.writeVarInt(3).writeVarInt(0).writeVarInt(0).writeVarInt(0)))
                .readList(2, SHORT_STRING)).hasMessageContaining("expected: 0-2");
        assertThatThrownBy(() -> reader(bytes(w -> w.writeVarInt(1_000_000).writeByte(0))).readList(Integer.MAX_VALUE, SHORT_STRING))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("list of 1000000");
    }

    @Test
    void nestingIsLimitedToMaxDepthAndTheCountUnwindsAfterEachValue() {
        byte[] deepest = bytes(w -> w.write(Tree.chain(WireReader.MAX_DEPTH), WireBodies.TREE_CODEC));
        WireReader twice = reader(concat(deepest, deepest));
        // The same maximal depth twice on one reader: the depth is given back after each value.
        assertThat(WireBodies.TREE_CODEC.read(twice)).isEqualTo(Tree.chain(WireReader.MAX_DEPTH));
        assertThat(WireBodies.TREE_CODEC.read(twice)).isEqualTo(Tree.chain(WireReader.MAX_DEPTH));
        assertThat(twice.atEnd()).isTrue();
        // read(codec) is a level of its own.
        assertThatThrownBy(() -> reader(deepest).read(WireBodies.TREE_CODEC)).isInstanceOf(WireFormatException.class)
                .hasMessage("nesting: deeper than " + WireReader.MAX_DEPTH);
    }

    @Test
    void failedNestedReadGivesItsDepthBack() {
        byte[] tooDeep = bytes(w -> w.write(Tree.chain(WireReader.MAX_DEPTH + 1), WireBodies.TREE_CODEC));
        byte[] ok = bytes(w -> w.write(Tree.chain(WireReader.MAX_DEPTH), WireBodies.TREE_CODEC));
        WireReader in = reader(concat(tooDeep, ok));
        assertThatThrownBy(() -> WireBodies.TREE_CODEC.read(in)).isInstanceOf(WireFormatException.class);
        // The failure consumed exactly the too-deep value; the next maximal one still fits.
        assertThat(WireBodies.TREE_CODEC.read(in)).isEqualTo(Tree.chain(WireReader.MAX_DEPTH));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.convene.overlay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.TestMessages;
import dev.convene.overlay.TestMessages.Note;
import dev.convene.overlay.internal.OverlayMessages;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames authenticated by a pair key (version 2): sealing, verification, and refusal of every change. */
class FrameCodecMacTest {
    private static final FrameCodec CODEC = new FrameCodec(List.of(OverlayMessages.AD_REQUEST, OverlayMessages.HELLO, TestMessages.NOTE), 16 << 10);
    private static final byte[] KEY = key(1);

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    private static FrameException refusal(byte[] frame, byte[] key) {
        try {
            FrameCodec.Header h = CODEC.header(frame, 0, frame.length);
            FrameCodec.verifyMac(h, frame, 0, key);
        } catch (FrameException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aSealedFrameVerifiesWithItsKeyAndDecodes() throws FrameException {
        byte[] unsealed = CODEC.encodeUnsealed(new Note(3, "hi"));
        byte[] frame = FrameCodec.seal(unsealed, 42, KEY);
        assertThat(frame).hasSize(unsealed.length);
        FrameCodec.Header h = CODEC.header(frame, 0, frame.length);
        assertThat(h.authenticatedByPairKey()).isTrue();
        assertThat(FrameCodec.verifyMac(h, frame, 0, KEY)).isEqualTo(42);
        assertThat(CODEC.body(h, frame, 0)).isEqualTo(new Note(3, "hi"));
        assertThat(frame.length - CODEC.encodeUnsealed(new Note(3, "")).length).isEqualTo(2);
        assertThat(FrameCodec.MAC_OVERHEAD).isEqualTo(51).isLessThan(FrameCodec.OVERHEAD);
    }

    @Test
    void everySingleBitFlipIsRefused() {
        byte[] frame = FrameCodec.seal(CODEC.encodeUnsealed(new Note(1, "flip me")), 7, KEY);
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] bad = TestFrames.flipBit(frame, bit);
            assertThat(refusal(bad, KEY).reason()).as("bit %d", bit).isNotNull();
        }
        // Flips in the body, the sequence number or the MAC are BAD_MAC exactly.
        int body = FrameCodec.HEADER;
        assertThat(refusal(TestFrames.flipBit(frame, body * 8), KEY).reason()).isEqualTo(DropReason.BAD_MAC);
        assertThat(refusal(TestFrames.flipBit(frame, (frame.length - 40) * 8), KEY).reason()).isEqualTo(DropReason.BAD_MAC);
        assertThat(refusal(TestFrames.flipBit(frame, (frame.length - 1) * 8), KEY).reason()).isEqualTo(DropReason.BAD_MAC);
    }

    @Test
    void anotherKeyDoesNotVerify() {
        byte[] frame = FrameCodec.seal(CODEC.encodeUnsealed(new Note(1, "x")), 1, KEY);
        assertThat(refusal(frame, key(2)).reason()).isEqualTo(DropReason.BAD_MAC);
    }

    @Test
    void sequenceNumbersBelowOneAreNeverSealed() {
        byte[] unsealed = CODEC.encodeUnsealed(new Note(1, "x"));
        assertThatThrownBy(() -> FrameCodec.seal(unsealed, 0, KEY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignedDecoderRefusesVersionTwoAndTheHeaderRefusesOtherVersions() {
        byte[] frame = FrameCodec.seal(CODEC.encodeUnsealed(new Note(1, "x".repeat(200))), 1, KEY);
        assertThatThrownBy(() -> CODEC.decode(frame, 0, frame.length, new byte[16]))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_VERSION));
        assertThatThrownBy(() -> CODEC.header(TestFrames.withByte(frame, TestFrames.VERSION_OFFSET, 4), 0, frame.length))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_VERSION));
    }

    @Test
    void aMacdBodyThatDoesNotDecodeIsMalformed() throws FrameException {
        byte[] frame = FrameCodec.sealBody(TestMessages.NOTE_ID, new byte[] {1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 7}, 1, KEY);
        FrameCodec.Header h = CODEC.header(frame, 0, frame.length);
        assertThat(FrameCodec.verifyMac(h, frame, 0, KEY)).isEqualTo(1);
        assertThatThrownBy(() -> CODEC.body(h, frame, 0))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.MALFORMED_BODY));
    }

    @Test
    void randomlyDamagedMacdFramesAreOnlyEverRefusedWithAFrameExceptionAndNeverVerifyChanged() {
        Random random = new Random(Long.getLong("convene.fuzz.seed", 20261201L));
        List<byte[]> valid = List.of(FrameCodec.seal(CODEC.encodeUnsealed(new Note(42, "grüße 👋")), 1, KEY),
                FrameCodec.seal(CODEC.encodeUnsealed(new Note(0, "")), 2, KEY),
                FrameCodec.seal(CODEC.encodeUnsealed(new Note(7, "x".repeat(3000))), 1L << 40, KEY));
        int inputs = Integer.getInteger("convene.fuzz.inputs", 100_000) / 5;
        int refused = 0;
        for (int n = 0; n < inputs; n++) {
            byte[] original = valid.get(random.nextInt(valid.size()));
            byte[] f = damage(original, random);
            try {
                FrameCodec.Header h = CODEC.header(f, 0, f.length);
                if (!h.authenticatedByPairKey()) {
                    refused++;
                    continue; // a version-1 header: the signed decoder's business, fuzzed by FrameFuzzTest
                }
                FrameCodec.verifyMac(h, f, 0, KEY);
                assertThat(f).as("input %d verified although changed", n).isEqualTo(original);
                CODEC.body(h, f, 0);
            } catch (FrameException e) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    private static byte[] damage(byte[] frame, Random random) {
        byte[] f = frame.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(4)) {
                case 0 -> f = TestFrames.flipBit(f, random.nextInt(f.length * 8));
                case 1 -> f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                case 2 -> f = TestFrames.truncate(f, random.nextInt(f.length));
                default -> {
                    int at = random.nextInt(f.length + 1);
                    byte[] g = new byte[f.length + 1];
                    System.arraycopy(f, 0, g, 0, at);
                    g[at] = (byte) random.nextInt(256);
                    System.arraycopy(f, at, g, at + 1, f.length - at);
                    f = g;
                }
            }
            if (f.length == 0) break;
        }
        return f;
    }
}

package dev.convene.overlay.wire;

import static dev.convene.overlay.wire.WireBodies.BLOB;
import static dev.convene.overlay.wire.WireBodies.TREE;
import static dev.convene.overlay.wire.WireBodies.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.TestMessages;
import dev.convene.overlay.TestMessages.Note;
import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.internal.OverlayMessages.AdvertisementRequest;
import dev.convene.overlay.wire.WireBodies.Blob;
import dev.convene.overlay.wire.WireBodies.Tree;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The envelope codec, fully in memory: every message type round-trips, and every malformed frame is refused
 * with the exact {@link DropReason} the overlay will count.
 */
class FrameCodecTest {
    private static final int MAX_FRAME = 16 << 10;
    private static final int MAX_BODY = MAX_FRAME - FrameCodec.OVERHEAD;
    private static final Identity ALICE = Identity.generate();
    private static final Identity MALLORY = Identity.generate();
    private static final byte[] TAG = tag(1);
    private static final byte[] OTHER_TAG = tag(2);
    private static final FrameCodec CODEC = new FrameCodec(
            List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST, TestMessages.NOTE, BLOB, TREE), MAX_FRAME);
    private static final Set<Integer> REGISTERED = Set.of(1, 2, TestMessages.NOTE_ID, BLOB.id(), TREE.id());

    private static byte[] tag(int seed) {
        byte[] t = new byte[FrameCodec.TAG_LENGTH];
        new Random(seed).nextBytes(t);
        return t;
    }

    private static PeerAdvertisement advertisement(Identity id, String name, Set<String> caps, Instant at) {
        return new PeerAdvertisement(id.id(), name, id.signingKey(), id.agreementKey(), "127.0.0.1:7801", caps, at);
    }

    private static byte[] noteFrame() {
        return CODEC.encode(new Note(7, "hi"), ALICE, TAG);
    }

    /** The reason {@code frame} is refused with; fails the test if it decodes. */
    private static DropReason reasonOf(byte[] frame) {
        return reasonOf(frame, frame.length, TAG);
    }

    private static DropReason reasonOf(byte[] buf, int length, byte[] tag) {
        try {
            Frame f = CODEC.decode(buf, 0, length, tag);
            throw new AssertionError("decoded as " + f.type().type().getSimpleName() + ": " + f.body());
        } catch (FrameException e) {
            return e.reason();
        }
    }

    // ---- round trips ------------------------------------------------------------------------------------

    static Stream<Arguments> everyMessageType() {
        return Stream.of(
                Arguments.of(OverlayMessages.ADVERTISEMENT,
                        advertisement(ALICE, "alice", Set.of("overlay/1", "conference/1"), Instant.parse("2026-11-03T10:15:30.123456789Z"))),
                Arguments.of(OverlayMessages.ADVERTISEMENT,
                        advertisement(ALICE, "渋谷の会議室".repeat(10) + "ab", Set.of(), Instant.EPOCH)),
                Arguments.of(OverlayMessages.ADVERTISEMENT, advertisement(ALICE, "a", IntStream.range(0, 32)
                        .mapToObj(i -> String.format("%064d", i)).collect(Collectors.toSet()), Instant.MAX)),
                Arguments.of(OverlayMessages.ADVERTISEMENT, advertisement(ALICE, "z", Set.of("x"), Instant.MIN)),
                Arguments.of(OverlayMessages.AD_REQUEST, new AdvertisementRequest(MALLORY.id())),
                Arguments.of(TestMessages.NOTE, new Note(0, "")),
                Arguments.of(TestMessages.NOTE, new Note(Integer.MAX_VALUE, "grüße 👋 \u0000 end")),
                Arguments.of(BLOB, new Blob("x".repeat(MAX_BODY - 3))),
                Arguments.of(TREE, Tree.chain(WireReader.MAX_DEPTH)),
                Arguments.of(TREE, new Tree(List.of(Tree.chain(3), Tree.chain(1), Tree.chain(7)))));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyMessageTypeRoundTripsWithItsVerifiedSigner(MessageType<?> type, Object message) throws FrameException {
        byte[] frame = CODEC.encode(message, ALICE, TAG);
        Frame decoded = CODEC.decode(frame, 0, frame.length, TAG);
        assertThat(decoded.type()).isEqualTo(type);
        assertThat(decoded.body()).isEqualTo(message);
        assertThat(decoded.signer()).isEqualTo(ALICE.id());
        assertThat(decoded.signerKey()).isEqualTo(ALICE.signingKey());
    }

    @Test
    void framesSignedByAnyIdentityDecodeWithThatSigner() throws FrameException {
        byte[] frame = CODEC.encode(new Note(1, "x"), MALLORY, TAG);
        assertThat(CODEC.decode(frame, 0, frame.length, TAG).signer()).isEqualTo(MALLORY.id());
    }

    @Test
    void frameInsideALargerBufferDecodesAtItsOffset() throws FrameException {
        byte[] frame = noteFrame();
        byte[] buf = new byte[frame.length + 20];
        Arrays.fill(buf, (byte) 0x5A);
        System.arraycopy(frame, 0, buf, 9, frame.length);
        assertThat(CODEC.decode(buf, 9, frame.length, TAG).body()).isEqualTo(new Note(7, "hi"));
    }

    @Test
    void frameOfExactlyTheCapIsAcceptedAndOneByteMoreIsRefused() throws FrameException {
        // A body of a 2-byte length prefix and n bytes: the frame is OVERHEAD + 2 + n.
        int fits = MAX_FRAME - FrameCodec.OVERHEAD - 2;
        byte[] frame = CODEC.encode(new Blob("y".repeat(fits)), ALICE, TAG);
        assertThat(frame).hasSize(MAX_FRAME);
        assertThat(CODEC.decode(frame, 0, frame.length, TAG).body()).isEqualTo(new Blob("y".repeat(fits)));

        assertThatThrownBy(() -> CODEC.encode(new Blob("y".repeat(fits + 1)), ALICE, TAG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Blob")
                .hasMessageContaining("frame cap of " + MAX_FRAME);
    }

    @Test
    void encodeRefusesAMessageFarBeyondTheCapWithoutGrowingPastIt() {
        assertThatThrownBy(() -> CODEC.encode(new Blob("z".repeat(10 * MAX_FRAME)), ALICE, TAG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the frame cap of " + MAX_FRAME);
    }

    @Test
    void encodeRefusesAnUnregisteredType() {
        assertThatThrownBy(() -> CODEC.encode("just a string", ALICE, TAG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String is not a registered message type");
    }

    @Test
    void encodeAndDecodeRefuseASenderTagOfTheWrongSize() {
        assertThatThrownBy(() -> CODEC.encode(new Note(1, "x"), ALICE, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sender tag");
    }

    @Test
    void codecRefusesDuplicateIdsDuplicateClassesAndATinyCap() {
        MessageType<Note> sameId = new MessageType<>(BLOB.id(), Note.class, TestMessages.NOTE_CODEC);
        assertThatThrownBy(() -> new FrameCodec(List.of(BLOB, sameId), MAX_FRAME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type id 101 registered twice");
        MessageType<Note> sameClass = new MessageType<>(999, Note.class, TestMessages.NOTE_CODEC);
        assertThatThrownBy(() -> new FrameCodec(List.of(TestMessages.NOTE, sameClass), MAX_FRAME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> new FrameCodec(List.of(BLOB), FrameCodec.OVERHEAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrame");
    }

    // ---- malformed envelopes ----------------------------------------------------------------------------

    @Test
    void truncationAtEveryOffsetIsTruncated() {
        for (Object message : List.of(new Note(7, "hi"), advertisement(ALICE, "alice", Set.of("a"), Instant.EPOCH))) {
            byte[] frame = CODEC.encode(message, ALICE, TAG);
            for (int length = 0; length < frame.length; length++) {
                assertThat(reasonOf(frame, length, TAG)).as("%s cut to %d bytes", message, length).isEqualTo(DropReason.TRUNCATED);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100})
    void declaredBodyLongerThanTheBytesIsTruncated(int extra) {
        byte[] frame = noteFrame();
        assertThat(reasonOf(TestFrames.withDeclaredLength(frame, TestFrames.bodyLength(frame) + extra))).isEqualTo(DropReason.TRUNCATED);
    }

    @Test
    void declaredBodyUpToTheCapButLongerThanTheBytesIsTruncated() {
        assertThat(reasonOf(TestFrames.withDeclaredLength(noteFrame(), MAX_BODY))).isEqualTo(DropReason.TRUNCATED);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void declaredBodyShorterThanTheBytesIsBadLength(int fewer) {
        byte[] frame = noteFrame();
        assertThat(reasonOf(TestFrames.withDeclaredLength(frame, TestFrames.bodyLength(frame) - fewer))).isEqualTo(DropReason.BAD_LENGTH);
    }

    @Test
    void declaredBodyOfZeroWithBytesFollowingIsBadLength() {
        assertThat(reasonOf(TestFrames.withDeclaredLength(noteFrame(), 0))).isEqualTo(DropReason.BAD_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
    void negativeDeclaredBodyIsBadLength(int declared) {
        assertThat(reasonOf(TestFrames.withDeclaredLength(noteFrame(), declared))).isEqualTo(DropReason.BAD_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(ints = {MAX_BODY + 1, MAX_FRAME, Integer.MAX_VALUE})
    void declaredBodyAboveTheCapIsOversized(int declared) {
        assertThat(reasonOf(TestFrames.withDeclaredLength(noteFrame(), declared))).isEqualTo(DropReason.OVERSIZED);
    }

    @Test
    void frameLongerThanTheCapIsOversizedBeforeAnythingElseIsRead() {
        byte[] big = new byte[MAX_FRAME + 1];
        assertThat(reasonOf(big)).isEqualTo(DropReason.OVERSIZED);
        // Trailing bytes behind a valid frame are a length lie, not a second frame.
        byte[] frame = noteFrame();
        assertThat(reasonOf(Arrays.copyOf(frame, frame.length + 1))).isEqualTo(DropReason.BAD_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 99, 103, 999, 0xFFFF})
    void unknownTypeIdIsUnknownType(int typeId) {
        assertThat(reasonOf(TestFrames.withType(noteFrame(), typeId))).isEqualTo(DropReason.UNKNOWN_TYPE);
        assertThat(reasonOf(TestFrames.signed(typeId, new byte[] {1, 0}, ALICE, TAG))).isEqualTo(DropReason.UNKNOWN_TYPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void anyWrongMagicByteIsBadMagic(int index) {
        assertThat(reasonOf(TestFrames.withByte(noteFrame(), index, 'X'))).isEqualTo(DropReason.BAD_MAGIC);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 127, 255})
    void otherVersionsAreBadVersion(int version) {
        assertThat(reasonOf(TestFrames.withByte(noteFrame(), TestFrames.VERSION_OFFSET, version))).isEqualTo(DropReason.BAD_VERSION);
        // Even when properly signed: a version this peer does not speak is refused before anything else.
        assertThat(reasonOf(TestFrames.signed(version, TestMessages.NOTE_ID, new byte[] {1, 0}, ALICE, TAG)))
                .isEqualTo(DropReason.BAD_VERSION);
    }

    @Test
    void flippedBitInBodySignatureOrSignerIsBadSignature() {
        byte[] frame = noteFrame();
        assertThat(reasonOf(TestFrames.flipBit(frame, TestFrames.BODY_OFFSET * 8))).isEqualTo(DropReason.BAD_SIGNATURE);
        assertThat(reasonOf(TestFrames.flipBit(frame, TestFrames.signerOffset(frame) * 8 + 3))).isEqualTo(DropReason.BAD_SIGNATURE);
        assertThat(reasonOf(TestFrames.flipBit(frame, TestFrames.signatureOffset(frame) * 8 + 5))).isEqualTo(DropReason.BAD_SIGNATURE);
        assertThat(reasonOf(TestFrames.flipBit(frame, frame.length * 8 - 1))).isEqualTo(DropReason.BAD_SIGNATURE);
    }

    @Test
    void everySingleBitFlipIsRefusedWithTheReasonOfTheFieldItHit() {
        byte[] frame = noteFrame();
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] bad = TestFrames.flipBit(frame, bit);
            int at = bit / 8;
            Set<DropReason> expected;
            if (at < TestFrames.VERSION_OFFSET) {
                expected = EnumSet.of(DropReason.BAD_MAGIC);
            } else if (at < TestFrames.TYPE_OFFSET) {
                expected = EnumSet.of(DropReason.BAD_VERSION);
            } else if (at < TestFrames.LENGTH_OFFSET) {
                int typeId = ByteBuffer.wrap(bad).getShort(TestFrames.TYPE_OFFSET) & 0xFFFF;
                // Another registered type still fails: the type id is covered by the signature.
                expected = EnumSet.of(REGISTERED.contains(typeId) ? DropReason.BAD_SIGNATURE : DropReason.UNKNOWN_TYPE);
            } else if (at < TestFrames.BODY_OFFSET) {
                expected = EnumSet.of(DropReason.BAD_LENGTH, DropReason.TRUNCATED, DropReason.OVERSIZED);
            } else {
                expected = EnumSet.of(DropReason.BAD_SIGNATURE);
            }
            assertThat(reasonOf(bad)).as("bit %d (byte %d)", bit, at).isIn(expected);
        }
    }

    @Test
    void frameSignedForAnotherSenderIsBadSignature() {
        // The same bytes replayed from another transport address do not verify.
        byte[] frame = noteFrame();
        assertThat(reasonOf(frame, frame.length, OTHER_TAG)).isEqualTo(DropReason.BAD_SIGNATURE);
    }

    @Test
    void signerKeySwappedForAnotherIdentityIsBadSignature() {
        byte[] frame = noteFrame();
        System.arraycopy(MALLORY.signingKey(), 0, frame, TestFrames.signerOffset(frame), Identity.KEY_LENGTH);
        assertThat(reasonOf(frame)).isEqualTo(DropReason.BAD_SIGNATURE);
    }

    // ---- malformed bodies (validly signed) ---------------------------------------------------------------

    static Stream<Arguments> signedGarbage() {
        byte[] note = TestFrames.body(CODEC.encode(new Note(3, "ok"), ALICE, TAG));
        return Stream.of(
                Arguments.of("empty advertisement", OverlayMessages.ADVERTISEMENT.id(), new byte[0]),
                Arguments.of("empty note", TestMessages.NOTE_ID, new byte[0]),
                Arguments.of("note with a trailing byte", TestMessages.NOTE_ID, Arrays.copyOf(note, note.length + 1)),
                Arguments.of("note cut short", TestMessages.NOTE_ID, Arrays.copyOf(note, note.length - 1)),
                Arguments.of("varint that never ends", TestMessages.NOTE_ID, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80}),
                Arguments.of("ad request with a short id", OverlayMessages.AD_REQUEST.id(), bytes(w -> w.writeString("abc"))),
                Arguments.of("ad request with a non-base32 id", OverlayMessages.AD_REQUEST.id(),
                        bytes(w -> w.writeString("0".repeat(PeerId.LENGTH)))),
                Arguments.of("ascii garbage", OverlayMessages.ADVERTISEMENT.id(), "hello, world".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("string longer than the body", BLOB.id(), new byte[] {7, 'a'}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedGarbage")
    void validlySignedGarbageBodyIsMalformedBody(String what, int typeId, byte[] body) {
        assertThat(reasonOf(TestFrames.signed(typeId, body, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void advertisementWhoseIdDoesNotDeriveFromItsKeyIsMalformedBody() {
        byte[] body = bytes(w -> w.writePeerId(MALLORY.id()).writeString("alice").writeBytes(ALICE.signingKey())
                .writeBytes(ALICE.agreementKey()).writeString("127.0.0.1:1").writeCollection(List.of(), CAPABILITY)
                .writeInstant(Instant.EPOCH));
        assertThat(reasonOf(TestFrames.signed(OverlayMessages.ADVERTISEMENT.id(), body, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    /** Writes a capability the way the advertisement codec does. */
    @Test
    void advertisementWithControlCharactersInEndpointOrCapabilitiesIsMalformedBody() {
        PeerAdvertisement escapes = new PeerAdvertisement(ALICE.id(), "alice", ALICE.signingKey(), ALICE.agreementKey(),
                "\u001b[2J127.0.0.1:1", Set.of(), Instant.EPOCH);
        assertThat(reasonOf(CODEC.encode(escapes, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
        PeerAdvertisement bell = advertisement(ALICE, "alice", Set.of("ok", "conference/1\u0007"), Instant.EPOCH);
        assertThat(reasonOf(CODEC.encode(bell, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    private static final WireCodec<String> CAPABILITY = new WireCodec<>() {
        @Override
        public void write(WireWriter out, String value) {
            out.writeString(value);
        }

        @Override
        public String read(WireReader in) {
            return in.readString(64);
        }
    };

    @Test
    void nestingUpToMaxDepthDecodesAndOneLevelDeeperIsMalformedBody() throws FrameException {
        byte[] ok = CODEC.encode(Tree.chain(WireReader.MAX_DEPTH), ALICE, TAG);
        assertThat(CODEC.decode(ok, 0, ok.length, TAG).body()).isEqualTo(Tree.chain(WireReader.MAX_DEPTH));
        // The writer does not limit depth; the reader must.
        assertThat(reasonOf(CODEC.encode(Tree.chain(WireReader.MAX_DEPTH + 1), ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
        assertThat(reasonOf(CODEC.encode(Tree.chain(500), ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void listCountLargerThanTheBytesLeftIsMalformedBody() {
        byte[] body = bytes(w -> w.writeVarInt(999).writeVarInt(0).writeVarInt(0));
        assertThat(reasonOf(TestFrames.signed(TREE.id(), body, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void listCountAboveItsMaximumIsMalformedBody() {
        // 32 capabilities at most: a 33rd is refused even though the bytes are there.
        Set<String> caps = IntStream.range(0, 33).mapToObj(i -> "c" + i).collect(Collectors.toSet());
        byte[] tooMany = CODEC.encode(advertisement(ALICE, "alice", caps, Instant.EPOCH), ALICE, TAG);
        assertThat(reasonOf(tooMany)).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void stringOfTwoBillionBytesDeclaredInFiveFailsFastWithoutAllocatingIt() {
        byte[] body = bytes(w -> w.writeVarInt(2_000_000_000).writeByte('a').writeByte('b'));
        byte[] frame = TestFrames.signed(BLOB.id(), body, ALICE, TAG);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot measure per-thread allocation");
        long before = threads.getCurrentThreadAllocatedBytes();
        FrameException e = catchFrameException(frame);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(e.reason()).isEqualTo(DropReason.MALFORMED_BODY);
        assertThat(e.getMessage()).contains("needs 2000000000 bytes");
        assertThat(allocated).as("bytes allocated while refusing the frame").isLessThan(64L << 20);
    }

    @Test
    void stringLongerThanItsFieldAllowsIsMalformedBody() {
        // The advertisement's name field takes at most 256 bytes: the declared length alone is refused.
        byte[] body = bytes(w -> w.writePeerId(ALICE.id()).writeVarInt(2_000_000_000));
        FrameException e = catchFrameException(TestFrames.signed(OverlayMessages.ADVERTISEMENT.id(), body, ALICE, TAG));
        assertThat(e.reason()).isEqualTo(DropReason.MALFORMED_BODY);
        assertThat(e.getMessage()).contains("2000000000").contains("expected: 0-256");
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void invalidUtf8IsMalformedBody(byte[] utf8) {
        byte[] body = bytes(w -> w.writeVarInt(1).writeBytes(utf8));
        assertThat(reasonOf(TestFrames.signed(TestMessages.NOTE_ID, body, ALICE, TAG))).isEqualTo(DropReason.MALFORMED_BODY);
    }

    static Stream<byte[]> invalidUtf8() {
        return Stream.of(
                new byte[] {(byte) 0xC3, 0x28},                         // bad continuation byte
                new byte[] {(byte) 0xC0, (byte) 0x80},                  // overlong NUL
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // lone surrogate
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82},        // cut inside a character
                new byte[] {(byte) 0xFF});
    }

    private static FrameException catchFrameException(byte[] frame) {
        try {
            CODEC.decode(frame, 0, frame.length, TAG);
        } catch (FrameException e) {
            return e;
        }
        throw new AssertionError("frame decoded");
    }

    // ---- fuzzing ------------------------------------------------------------------------------------------

    @Test
    void twentyThousandRandomInputsAreEachRefusedWithTheReasonOfTheirFirstFault() {
        Random random = new Random(0xC0FFEE);
        Map<DropReason, Integer> seen = new EnumMap<>(DropReason.class);
        for (int i = 0; i < 20_000; i++) {
            int family = i % 5;
            byte[] input = randomInput(random, family);
            DropReason reason = reasonOf(input);
            Set<DropReason> expected = switch (family) {
                case 0 -> EnumSet.of(input.length < FrameCodec.OVERHEAD ? DropReason.TRUNCATED : DropReason.BAD_MAGIC);
                case 1 -> EnumSet.of(DropReason.BAD_VERSION);
                case 2 -> EnumSet.of(DropReason.UNKNOWN_TYPE);
                case 3 -> EnumSet.of(DropReason.BAD_SIGNATURE);
                default -> EnumSet.of(DropReason.BAD_LENGTH, DropReason.TRUNCATED, DropReason.OVERSIZED);
            };
            assertThat(reason).as("input %d (family %d): %s", i, family, Arrays.toString(input)).isIn(expected);
            seen.merge(reason, 1, Integer::sum);
        }
        assertThat(seen).containsKeys(DropReason.TRUNCATED, DropReason.BAD_MAGIC, DropReason.BAD_VERSION, DropReason.UNKNOWN_TYPE,
                DropReason.BAD_SIGNATURE, DropReason.BAD_LENGTH, DropReason.OVERSIZED);
    }

    /**
     * Random bytes shaped to reach one check each: 0 anything; 1 magic then a wrong version; 2 a consistent
     * header with an unregistered type; 3 a consistent header with a registered type (random signature);
     * 4 a valid prefix with a random declared length.
     */
    private static byte[] randomInput(Random random, int family) {
        if (family == 0) {
            byte[] b = new byte[random.nextInt(512)];
            random.nextBytes(b);
            if (b.length > 0 && b[0] == 'C') b[0] = 'c'; // keep "not our magic" certain, not just likely
            return b;
        }
        int bodyLength = random.nextInt(300);
        byte[] b = new byte[FrameCodec.OVERHEAD + bodyLength];
        random.nextBytes(b);
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.put(0, FrameCodec.MAGIC[0]).put(1, FrameCodec.MAGIC[1]).put(2, FrameCodec.MAGIC[2]).put(3, FrameCodec.MAGIC[3]);
        if (family == 1) {
            if (b[TestFrames.VERSION_OFFSET] == FrameCodec.VERSION) b[TestFrames.VERSION_OFFSET] = 2;
            return b;
        }
        b[TestFrames.VERSION_OFFSET] = FrameCodec.VERSION;
        if (family == 4) {
            if (buf.getInt(TestFrames.LENGTH_OFFSET) == bodyLength) buf.putInt(TestFrames.LENGTH_OFFSET, bodyLength + 1);
            return b;
        }
        buf.putInt(TestFrames.LENGTH_OFFSET, bodyLength);
        List<Integer> ids = List.copyOf(REGISTERED);
        int typeId;
        if (family == 2) {
            do {
                typeId = random.nextInt(0x10000);
            } while (REGISTERED.contains(typeId));
        } else {
            typeId = ids.get(random.nextInt(ids.size()));
        }
        buf.putShort(TestFrames.TYPE_OFFSET, (short) typeId);
        return b;
    }

    @Test
    void randomBodiesSignedByARealIdentityDecodeOrAreMalformedBodyNeverWorse() {
        Random random = new Random(42);
        List<Integer> ids = REGISTERED.stream().sorted().toList();
        int malformed = 0;
        for (int i = 0; i < 600; i++) {
            byte[] body = new byte[random.nextInt(120)];
            random.nextBytes(body);
            if (i % 3 == 0 && body.length > 0) body[0] = (byte) random.nextInt(4); // small counts and lengths reach deeper
            byte[] frame = TestFrames.signed(ids.get(i % ids.size()), body, ALICE, TAG);
            try {
                CODEC.decode(frame, 0, frame.length, TAG);
            } catch (FrameException e) {
                assertThat(e.reason()).as("random body %d", i).isEqualTo(DropReason.MALFORMED_BODY);
                malformed++;
            }
        }
        assertThat(malformed).isGreaterThan(500);
    }
}

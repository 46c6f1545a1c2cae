package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.START;
import static dev.convene.conference.internal.Fixtures.encode;
import static dev.convene.conference.internal.Fixtures.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The conference codecs in memory: round trips, and every kind of malformed input is a {@link WireFormatException}. */
class ProtocolTest {
    private static final byte[] KEY = ContentCrypto.newKey();
    private static final ConferenceContext CONTEXT = Fixtures.context(ConferenceId.random(), ALICE, START, Duration.ofMinutes(90).plusNanos(7),
            "Revue de conception — 設計", "1. wire\n2. timings ✓", List.of(BOB.id(), CAROL.id()), 3);
    private static final SignedContext SIGNED = Fixtures.signed(CONTEXT);
    private static final ConferenceId ID = CONTEXT.id();
    private static final Invitation INVITATION = Fixtures.invitation(SIGNED, ALICE, BOB, KEY);
    private static final Reply REPLY = Fixtures.reply(BOB, ID, Answer.DECLINE, "on holiday — désolé", 2, START.plusSeconds(5));
    private static final EndNotice END = Fixtures.end(ALICE, ID, START.plusSeconds(600));
    private static final ChatMessage CHAT = Fixtures.chat(BOB, ID, 7, new HlcTimestamp(START.toEpochMilli(), 3), KEY, "hello 你好");
    private static final byte[] MALLORY_KEY = Fixtures.MALLORY.signingKey();
    private static final ChatMessage CHAT2 = Fixtures.chat(CAROL, ID, 1, new HlcTimestamp(START.toEpochMilli() + 1, 0), KEY, "hi");

    /** One named sample per codec, with optional parts present. */
    static Stream<Arguments> samples() {
        return Stream.of(
                sample("CONTEXT", Protocol.CONTEXT, CONTEXT),
                sample("CONTEXT without invitees", Protocol.CONTEXT, Fixtures.context()),
                sample("SIGNED_CONTEXT", Protocol.SIGNED_CONTEXT, SIGNED),
                sample("INVITATION", Protocol.INVITATION, INVITATION),
                sample("REPLY", Protocol.REPLY, REPLY),
                sample("REPLY accept without reason", Protocol.REPLY, Fixtures.reply(CAROL, ID, Answer.ACCEPT, "", 1, START)),
                sample("END", Protocol.END, END),
                sample("CHAT", Protocol.CHAT, CHAT),
                sample("META", Protocol.META, new Meta(SIGNED, List.of(INVITATION, Fixtures.invitation(SIGNED, ALICE, CAROL, KEY)),
                        List.of(REPLY, Fixtures.reply(CAROL, ID, Answer.LEAVE, "", 4, START)), END)),
                sample("META without end", Protocol.META, new Meta(SIGNED, List.of(), List.of(), null)),
                sample("ACK", Protocol.ACK, new ChatAck(ID, BOB.id(), 300)),
                sample("DIGEST", Protocol.DIGEST, new ChatDigest(ID, Map.of(BOB.id(), 0L, CAROL.id(), 5L, ALICE.id(), 1L << 40))),
                sample("DIGEST empty", Protocol.DIGEST, new ChatDigest(ID, Map.of())),
                sample("DIGEST with tips", Protocol.DIGEST, new ChatDigest(ID, Map.of(BOB.id(), 7L, CAROL.id(), 5L),
                        Map.of(BOB.id(), ChatDigest.Tip.of(CHAT), CAROL.id(), new ChatDigest.Tip(5, -1L, 0L)))),
                sample("BATCH with more to come", Protocol.BATCH, new ChatBatch(ID, List.of(CHAT, CHAT2), true)),
                sample("BATCH empty", Protocol.BATCH, new ChatBatch(ID, List.of(), false)),
                sample("EPHEMERAL", EphemeralFrame.CODEC, new EphemeralFrame(ID, 7, new dev.convene.conference.HlcTimestamp(1_000_000, 3), 2, new byte[]{1, 2, 3})));
    }

    private static <T> Arguments sample(String name, WireCodec<T> codec, T value) {
        return Arguments.of(name, codec, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void everyRecordSurvivesARoundTrip(String name, WireCodec<T> codec, T value) {
        byte[] bytes = encode(codec, value);
        T decoded = WireBytes.decode(codec, bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(value);
        assertThat(encode(codec, decoded)).as("canonical bytes").isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void everyTruncationIsAWireFormatError(String name, WireCodec<T> codec, T value) {
        byte[] bytes = encode(codec, value);
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> WireBytes.decode(codec, prefix)).as("%s cut to %d of %d bytes", name, prefix.length, bytes.length)
                    .isExactlyInstanceOf(WireFormatException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void aTrailingByteIsAWireFormatError(String name, WireCodec<T> codec, T value) {
        byte[] bytes = Arrays.copyOf(encode(codec, value), encode(codec, value).length + 1);
        assertThatThrownBy(() -> WireBytes.decode(codec, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("trailing bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 127, -1, -128})
    void anAnswerOrdinalOutsideTheEnumIsRejected(int ordinal) {
        byte[] bytes = encode(Protocol.REPLY, REPLY);
        int at = 1 + ConferenceId.LENGTH + 1 + PeerId.LENGTH; // after the conference id and the author
        assertThat(bytes[at]).as("answer byte").isEqualTo((byte) Answer.DECLINE.ordinal());
        bytes[at] = (byte) ordinal;
        assertThatThrownBy(() -> WireBytes.decode(Protocol.REPLY, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessage("answer: " + ordinal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuvwxyza", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "abcdefghijklmnopqrstuvwx18", "abcdefghijklmnopqrstuvwx-z"})
    void aConferenceIdOfTheWrongLengthOrAlphabetIsRejected(String id) {
        byte[] ack = raw(out -> out.writeString(id).writePeerId(BOB.id()).writeVarLong(1));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.ACK, ack)).isExactlyInstanceOf(WireFormatException.class);
        // The same bytes with a good id decode: the id alone is what is rejected.
        byte[] good = raw(out -> out.writeString(ID.value()).writePeerId(BOB.id()).writeVarLong(1));
        assertThat(WireBytes.decode(Protocol.ACK, good)).isEqualTo(new ChatAck(ID, BOB.id(), 1));
    }

    @Test
    void aSequenceOfZeroIsRejected() {
        byte[] ack = raw(out -> out.writeString(ID.value()).writePeerId(BOB.id()).writeVarLong(0));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.ACK, ack)).isExactlyInstanceOf(WireFormatException.class);
    }

    @Test
    void aBatchOfMoreThan256MessagesIsRejected() {
        List<ChatMessage> full = Collections.nCopies(Protocol.MAX_BATCH, CHAT);
        assertThat(WireBytes.decode(Protocol.BATCH, encode(Protocol.BATCH, new ChatBatch(ID, full, false))).messages()).hasSize(256);
        List<ChatMessage> over = Collections.nCopies(Protocol.MAX_BATCH + 1, CHAT);
        byte[] bytes = encode(Protocol.BATCH, new ChatBatch(ID, over, false));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.BATCH, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("257");
    }

    @Test
    void aDigestOfMoreAuthorsThanAConferenceHoldsIsRejected() {
        int members = ConferenceContext.MAX_INVITEES + 1;
        assertThat(WireBytes.decode(Protocol.DIGEST, encode(Protocol.DIGEST, digestOf(members))).contiguous()).hasSize(members);
        byte[] bytes = encode(Protocol.DIGEST, digestOf(members + 1));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.DIGEST, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining(String.valueOf(members + 1));
    }

    @Test
    void aDigestTipIsOnlyForAnAuthorWithASequenceAndTellsTwoVersionsApart() {
        assertThatThrownBy(() -> new ChatDigest(ID, Map.of(BOB.id(), 7L), Map.of(CAROL.id(), ChatDigest.Tip.of(CHAT))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatDigest(ID, Map.of(BOB.id(), 6L), Map.of(BOB.id(), ChatDigest.Tip.of(CHAT)))) // CHAT is BOB's 7
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatDigest.Tip(0, 1L, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ChatDigest.Tip.of(CHAT).sequence()).isEqualTo(7);
        assertThat(ChatDigest.Tip.of(CHAT)).isEqualTo(ChatDigest.Tip.of(CHAT)).isNotEqualTo(ChatDigest.Tip.of(CHAT2));
        ChatMessage other = Fixtures.chat(BOB, ID, 7, CHAT.timestamp(), KEY, "another text"); // CHAT's author and sequence
        assertThat(ChatDigest.Tip.of(other)).isNotEqualTo(ChatDigest.Tip.of(CHAT));
    }

    private static ChatDigest digestOf(int authors) {
        Map<PeerId, Long> m = new TreeMap<>();
        IntStream.range(0, authors).forEach(i -> m.put(PeerId.fromSigningKey(new byte[] {(byte) i, (byte) (i >> 8)}), (long) i));
        return new ChatDigest(ID, m);
    }

    @Test
    void aContextListingMoreThan256InviteesIsRejected() {
        List<PeerId> invitees = IntStream.range(0, ConferenceContext.MAX_INVITEES + 1)
                .mapToObj(i -> PeerId.fromSigningKey(new byte[] {(byte) i, (byte) (i >> 8)})).toList();
        byte[] bytes = raw(out -> out.write(ID, Protocol.CONFERENCE_ID).writeString("T").writeString("").writePeerId(ALICE.id())
                .writeInstant(START).writeDuration(Duration.ofHours(1)).writeCollection(invitees, Protocol.PEER)
                .writeInstant(START).writeVarInt(1).writeBoolean(false));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.CONTEXT, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("257");
    }

    @Test
    void aMetaWithMoreInvitationsThanItsBoundIsRejected() {
        int bound = ConferenceContext.MAX_INVITEES * 2;
        Meta full = new Meta(SIGNED, Collections.nCopies(bound, INVITATION), List.of(), null);
        assertThat(WireBytes.decode(Protocol.META, encode(Protocol.META, full)).invitations()).hasSize(bound);
        byte[] bytes = encode(Protocol.META, new Meta(SIGNED, Collections.nCopies(bound + 1, INVITATION), List.of(), null));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining(String.valueOf(bound + 1));
    }

    @Test
    void aContextThatBreaksTheContextRulesIsAWireFormatErrorNotAnIllegalArgument() {
        byte[] bytes = raw(out -> out.write(ID, Protocol.CONFERENCE_ID).writeString("T").writeString("").writePeerId(ALICE.id())
                .writeInstant(START).writeDuration(Duration.ofMinutes(-30)).writeCollection(List.of(), Protocol.PEER)
                .writeInstant(START).writeVarInt(1).writeBoolean(false).writeBoolean(false)); // zero is a standing room; negative is never valid
        assertThatThrownBy(() -> WireBytes.decode(Protocol.CONTEXT, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void aStandingRoomsContextRoundTripsAndADurationAboveSevenDaysIsStillRefusedAtDecode() {
        ConferenceContext standing = Fixtures.context(ConferenceId.random(), ALICE, ConferenceContext.LATEST, ConferenceContext.STANDING,
                "Team", "", List.of(BOB.id()), 1);
        ConferenceContext back = WireBytes.decode(Protocol.CONTEXT, encode(Protocol.CONTEXT, standing));
        assertThat(back).isEqualTo(standing);
        assertThat(back.standing()).isTrue();
        assertThat(back.end()).isEqualTo(ConferenceContext.LATEST); // starting at LATEST: no sum past it
        byte[] bytes = raw(out -> out.write(ID, Protocol.CONFERENCE_ID).writeString("T").writeString("").writePeerId(ALICE.id())
                .writeInstant(START).writeDuration(ConferenceContext.MAX_DURATION.plusNanos(1)).writeCollection(List.of(), Protocol.PEER)
                .writeInstant(START).writeVarInt(1).writeBoolean(false).writeBoolean(false));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.CONTEXT, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void aContextWithVersionZeroIsRejected() {
        byte[] bytes = encode(Protocol.CONTEXT, CONTEXT);
        // The version is the one-byte varint before the final two booleans.
        assertThat(bytes[bytes.length - 3]).isEqualTo((byte) 3);
        bytes[bytes.length - 3] = 0;
        assertThatThrownBy(() -> WireBytes.decode(Protocol.CONTEXT, bytes)).isExactlyInstanceOf(WireFormatException.class);
    }

    @Test
    void aBooleanOtherThanZeroOrOneIsRejected() {
        byte[] bytes = encode(Protocol.META, new Meta(SIGNED, List.of(), List.of(), null));
        assertThat(bytes[bytes.length - 1]).isZero(); // the "has an end notice" flag
        bytes[bytes.length - 1] = 2;
        assertThatThrownBy(() -> WireBytes.decode(Protocol.META, bytes)).isExactlyInstanceOf(WireFormatException.class);
    }

    @Test
    void aSignedContextWhoseKeyIsNotTheOrganisersIsAWireFormatError() {
        byte[] bytes = raw(out -> out.write(CONTEXT, Protocol.CONTEXT).writeBytes(MALLORY_KEY).writeBytes(SIGNED.signature()));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.SIGNED_CONTEXT, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("organiser key does not match");
    }

    @Test
    void anInvitationWhoseInviteeKeyIsNotTheInviteesIsAWireFormatError() {
        Invitation i = INVITATION;
        byte[] bytes = raw(out -> out.write(i.context(), Protocol.SIGNED_CONTEXT).writePeerId(i.invitee()).writeBytes(MALLORY_KEY)
                .writeBytes(i.inviteeAgreementKey()).writePeerId(i.inviter()).writeBytes(i.inviterKey()).writeInstant(i.expiry())
                .writeBytes(i.nonce()).writeVarInt(i.firstEpoch()).writeVarInt(i.keyEpoch()).writeBytes(i.sealedKey()).writeInstant(i.issuedAt())
                .writeBytes(i.signature()));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.INVITATION, bytes)).isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("invitee key does not match");
    }

    @Test
    void aSignatureOfTheWrongLengthIsRejected() {
        byte[] bytes = raw(out -> out.write(ID, Protocol.CONFERENCE_ID).writeInstant(START).writeBytes(new byte[Identity.SIGNATURE_LENGTH - 1]));
        assertThatThrownBy(() -> WireBytes.decode(Protocol.END, bytes)).isExactlyInstanceOf(WireFormatException.class);
    }

    @Test
    void theMessageTypesHaveIdsFrom100To104StreamsAt110EphemeralEventsAt111ReceiptsAt107PostsAt114AndMetaDigestsAt120() {
        assertThat(Protocol.types()).extracting(t -> t.id()).containsExactly(100, 101, 102, 103, 104, 110, 111, 107, 114, 120);
        assertThat(Protocol.types()).extracting(t -> (Object) t.type())
                .containsExactly(Meta.class, ChatMessage.class, ChatAck.class, ChatDigest.class, ChatBatch.class, StreamFrame.class,
                        EphemeralFrame.class, ReceiptFrame.class, ChatPosts.class, MetaDigest.class);
        assertThatCode(() -> new FrameCodec(Protocol.types(), OverlayConfig.DEFAULT_MAX_FRAME)).doesNotThrowAnyException();
    }

    @Test
    void aFullHistoryBatchFitsInOneFrame() {
        // The engine cuts batches at BATCH_BYTES, counting 200 bytes of overhead per message, so the largest batch is
        // just under BATCH_BYTES plus one maximal message.
        byte[] text = new byte[Protocol.MAX_TEXT_BYTES];
        Arrays.fill(text, (byte) 'x');
        ChatMessage big = Fixtures.chat(BOB, ID, 1, new HlcTimestamp(Long.MAX_VALUE / 2, Integer.MAX_VALUE), KEY, new String(text));
        int perMessage = big.body().length + 200;
        int count = ConferenceEngine.BATCH_BYTES / perMessage + 1;
        ChatBatch batch = new ChatBatch(ID, Collections.nCopies(count, big), true);
        FrameCodec frames = new FrameCodec(Protocol.types(), OverlayConfig.DEFAULT_MAX_FRAME);
        assertThatCode(() -> frames.encode(batch, BOB, new byte[FrameCodec.TAG_LENGTH])).doesNotThrowAnyException();
    }

    @Test
    void theMetadataOfAConferenceWithTheMostInviteesGoesOutInChunksThatEachFitAFrame() {
        List<Identity> invitees = new ArrayList<>();
        for (int i = 0; i < ConferenceContext.MAX_INVITEES; i++) invitees.add(Identity.generate());
        SignedContext ctx = Fixtures.signed(Fixtures.context(invitees.toArray(Identity[]::new)));
        Conference c = new Conference(ctx);
        invitees.forEach(p -> c.invitations.put(p.id(), Fixtures.invitation(ctx, ALICE, p, KEY)));
        // The context goes once per frame: all of them fit one chunk now (before, each invitation carried it: 13 chunks).
        assertThat(c.metaChunks(ConferenceEngine.META_CHUNK_BYTES)).hasSize(1);
        int small = 32 * 1024;
        List<Meta> chunks = c.metaChunks(small);
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks.stream().mapToInt(m -> m.invitations().size()).sum()).isEqualTo(ConferenceContext.MAX_INVITEES);
        FrameCodec frames = new FrameCodec(Protocol.types(), OverlayConfig.DEFAULT_MAX_FRAME);
        for (Meta chunk : chunks) {
            assertThat(encode(Protocol.META, chunk).length).isLessThanOrEqualTo(small);
            assertThatCode(() -> frames.encode(chunk, ALICE, new byte[FrameCodec.TAG_LENGTH])).doesNotThrowAnyException();
        }
        for (Meta chunk : c.metaChunks(ConferenceEngine.META_CHUNK_BYTES)) {
            assertThatCode(() -> frames.encode(chunk, ALICE, new byte[FrameCodec.TAG_LENGTH])).doesNotThrowAnyException();
        }
    }
}

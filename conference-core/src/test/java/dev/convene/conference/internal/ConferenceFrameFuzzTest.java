package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.internal.OverlayMessages.AdvertisementRequest;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.FrameFuzzer;
import dev.convene.overlay.wire.FrameFuzzer.Kind;
import dev.convene.overlay.wire.FrameFuzzer.Report;
import dev.convene.overlay.wire.FrameFuzzer.Sample;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.TestFrames;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded fuzzing of the envelope with every type a conference peer registers (the overlay's two and the five
 * conference messages of {@link Protocol#types()}), at the frame cap a real peer runs with: 100,000 envelopes
 * and 100,000 bodies per run by default ({@code -Dconvene.fuzz.inputs=N}, {@code -Dconvene.fuzz.seed=S} to
 * replay a failure). Whatever comes in, decoding ends in a frame or a {@code FrameException}: never another
 * exception, never an {@link Error}, never a hang. And every prefix of a valid frame, and of a valid body signed
 * again, of each conference type is refused.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConferenceFrameFuzzTest {
    static final long SEED = Long.getLong("convene.fuzz.seed", 20261201L);
    static final int INPUTS = Integer.getInteger("convene.fuzz.inputs", 100_000);

    private static final Identity SIGNER = BOB;
    private static final byte[] TAG = tag();
    private static final List<MessageType<?>> TYPES = types();
    private static final FrameCodec CODEC = new FrameCodec(TYPES, OverlayConfig.DEFAULT_MAX_FRAME);
    private static final Map<Integer, MessageType<?>> BY_ID = TYPES.stream().collect(Collectors.toMap(MessageType::id, Function.identity()));
    private static final Map<Integer, Sample> CONFERENCE_SAMPLES = conferenceSamples();

    /** The types a conference peer's overlay registers, in its order. */
    private static List<MessageType<?>> types() {
        List<MessageType<?>> all = new ArrayList<>(List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST));
        all.addAll(Protocol.types());
        return all;
    }

    private static byte[] tag() {
        byte[] t = new byte[FrameCodec.TAG_LENGTH];
        new Random(SEED).nextBytes(t);
        return t;
    }

    private static Sample sample(Object message) {
        return new Sample(CODEC.typeOf(message).id(), TestFrames.body(CODEC.encode(message, SIGNER, TAG)));
    }

    /** One full message of each conference type: every optional part present, lists of more than one. */
    private static Map<Integer, Sample> conferenceSamples() {
        byte[] key = ContentCrypto.newKey();
        byte[] rotated = ContentCrypto.newKey();
        SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL, MALLORY));
        ConferenceId id = ctx.context().id();
        HlcTimestamp ts = new HlcTimestamp(START.toEpochMilli(), 2);
        ChatMessage hello = Fixtures.chat(BOB, id, 7, ts, key, "hello 你好");
        ChatMessage later = Fixtures.chat(CAROL, CAROL.id(), id, 1, new HlcTimestamp(START.toEpochMilli() + 5, 0), 1, rotated, "after");
        Meta meta = new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key), Fixtures.invitation(ctx, ALICE, CAROL, key)),
                List.of(Fixtures.reply(BOB, id, Answer.ACCEPT, "", 1, START), Fixtures.reply(CAROL, id, Answer.DECLINE, "busy — désolé", 2, START)),
                Fixtures.end(ALICE, id, START.plusSeconds(3600)), List.of(Fixtures.removal(ALICE, id, MALLORY.id(), 1, START.plusSeconds(60))),
                List.of(Fixtures.grant(ALICE, id, BOB, 1, rotated), Fixtures.grant(ALICE, id, CAROL, 1, rotated)));
        return List.of(sample(meta), sample(hello), sample(new ChatAck(id, BOB.id(), 300)),
                        sample(new ChatDigest(id, Map.of(BOB.id(), 7L, CAROL.id(), 0L, ALICE.id(), 1L << 40))),
                        sample(new ChatBatch(id, List.of(hello, later), true)),
                        sample(new StreamFrame(id, -3L, true, StreamFrame.DATA, 1L << 33, new byte[StreamFrame.CHUNK + 16])),
                        sample(new EphemeralFrame(id, 1L << 40, ts, 1, new byte[300])),
                        sample(new ReceiptFrame(Receipt.sign(CAROL, id, 6, new Frontier(later.id(), later.timestamp())), hello)),
                        sample(new ChatPosts(id, Fixtures.signedTogether(BOB, List.of(hello,
                                Fixtures.chat(BOB, id, 8, new HlcTimestamp(START.toEpochMilli() + 1, 0), key, "second", new Frontier(hello.id(), ts)),
                                Fixtures.chat(BOB, id, 9, new HlcTimestamp(START.toEpochMilli() + 2, 0), key, "third"))))),
                        sample(new MetaDigest(id, true, java.util.stream.IntStream.range(0, MetaDigest.KINDS)
                                .mapToObj(i -> new MetaDigest.Kind(i * 300, ContentCrypto.newKey())).toList())))
                .stream().collect(Collectors.toMap(Sample::typeId, Function.identity()));
    }

    private static List<Sample> samples() {
        Identity other = Identity.generate();
        List<Sample> all = new ArrayList<>(CONFERENCE_SAMPLES.values());
        all.add(sample(new dev.convene.overlay.PeerAdvertisement(other.id(), "carol", other.signingKey(), other.agreementKey(),
                "memory:carol", java.util.Set.of("overlay/1"), START)));
        all.add(sample(new AdvertisementRequest(other.id())));
        return all;
    }

    private static FrameFuzzer fuzzer() {
        return new FrameFuzzer(CODEC, samples(), SIGNER, TAG, SEED);
    }

    @Test
    void everyConferenceTypeHasASample() {
        assertThat(CONFERENCE_SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(
                Protocol.types().stream().map(MessageType::id).toList());
    }

    @Test
    void randomAndDamagedFramesAreOnlyEverRefusedWithAFrameException() {
        Report report = fuzzer().run(INPUTS);

        assertThat(report.total()).isEqualTo(INPUTS);
        for (Kind kind : Kind.values()) assertThat(report.inputs(kind)).as("%s inputs", kind).isPositive();
        for (DropReason reason : EnumSet.of(DropReason.TRUNCATED, DropReason.OVERSIZED, DropReason.BAD_MAGIC, DropReason.BAD_VERSION,
                DropReason.BAD_LENGTH, DropReason.UNKNOWN_TYPE, DropReason.BAD_SIGNATURE, DropReason.MALFORMED_BODY)) {
            assertThat(report.refused(reason)).as("%s in %s", reason, report).isPositive();
        }
        assertThat(report.decoded(Kind.RANDOM) + report.decoded(Kind.RANDOM_HEADER)).as("random inputs decoded").isZero();
    }

    @Test
    void damagedBodiesOfEveryTypeOnlyEverFailWithAWireFormatException() {
        Report report = fuzzer().runBodies(INPUTS, (type, body) -> WireBytes.decode(BY_ID.get(type).codec(), body));

        assertThat(report.total()).isEqualTo(INPUTS);
        assertThat(report.bodyFailures().keySet()).as("%s", report).containsOnly(WireFormatException.class.getSimpleName());
    }

    /** Meta 100, ChatMessage 101, ChatAck 102, ChatDigest 103, ChatBatch 104, ReceiptFrame 107, ChatPosts 114. */
    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {100, 101, 102, 103, 104, 107, 114})
    void everyPrefixOfAValidFrameIsRefusedAsTruncated(int typeId) {
        FrameFuzzer fuzzer = fuzzer();
        byte[] frame = TestFrames.signed(typeId, CONFERENCE_SAMPLES.get(typeId).body(), SIGNER, TAG);
        assertThat(fuzzer.truncateEverywhere(frame)).isEqualTo(frame.length);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {100, 101, 102, 103, 104, 107, 114})
    void everyPrefixOfAValidBodySignedAgainIsRefusedAsMalformed(int typeId) {
        Sample sample = CONFERENCE_SAMPLES.get(typeId);
        assertThat(fuzzer().truncateBodyEverywhere(sample)).isEqualTo(sample.body().length);
    }
}

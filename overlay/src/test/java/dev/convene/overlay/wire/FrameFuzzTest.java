package dev.convene.overlay.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerAdvertisement;
import dev.convene.overlay.TestMessages;
import dev.convene.overlay.TestMessages.Note;
import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.internal.OverlayMessages.AdvertisementRequest;
import dev.convene.overlay.wire.FrameFuzzer.Kind;
import dev.convene.overlay.wire.FrameFuzzer.Report;
import dev.convene.overlay.wire.FrameFuzzer.Sample;
import dev.convene.overlay.wire.WireBodies.Blob;
import dev.convene.overlay.wire.WireBodies.Tree;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of the envelope with the overlay's own message types (advertisement, advertisement request)
 * and the test types that exercise every {@link WireReader} primitive: 100,000 envelopes and 100,000 bodies
 * per run by default ({@code -Dconvene.fuzz.inputs=N}, {@code -Dconvene.fuzz.seed=S} to replay a failure).
 * Whatever comes in, decoding ends in a frame or a {@link FrameException}: never another exception, never an
 * {@link Error}, never a hang (the timeout runs the test on its own thread, so even a stuck loop fails).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameFuzzTest {
    static final long SEED = Long.getLong("convene.fuzz.seed", 20261201L);
    static final int INPUTS = Integer.getInteger("convene.fuzz.inputs", 100_000);

    private static final Identity SIGNER = Identity.generate();
    private static final byte[] TAG = tag();
    private static final List<MessageType<?>> TYPES = List.of(OverlayMessages.ADVERTISEMENT, OverlayMessages.AD_REQUEST,
            OverlayMessages.HELLO, TestMessages.NOTE, WireBodies.BLOB, WireBodies.TREE);
    /** The cap a real peer runs with: lies about lengths are checked against it, not against a small test cap. */
    private static final FrameCodec CODEC = new FrameCodec(TYPES, OverlayConfig.DEFAULT_MAX_FRAME);
    private static final Map<Integer, MessageType<?>> BY_ID = TYPES.stream().collect(Collectors.toMap(MessageType::id, Function.identity()));

    private static byte[] tag() {
        byte[] t = new byte[FrameCodec.TAG_LENGTH];
        new Random(SEED).nextBytes(t);
        return t;
    }

    private static Sample sample(Object message) {
        byte[] frame = CODEC.encode(message, SIGNER, TAG);
        return new Sample(CODEC.typeOf(message).id(), TestFrames.body(frame));
    }

    static List<Sample> samples() {
        Identity other = Identity.generate();
        return List.of(
                sample(new PeerAdvertisement(other.id(), "Zoë — 会議", other.signingKey(), other.agreementKey(), "127.0.0.1:7801",
                        Set.of("overlay/1", "conference/1"), Instant.parse("2026-12-01T09:00:00.123456789Z"))),
                sample(new PeerAdvertisement(SIGNER.id(), "a", SIGNER.signingKey(), SIGNER.agreementKey(), "relay:127.0.0.1:12001",
                        Set.of(), Instant.EPOCH)),
                sample(new AdvertisementRequest(other.id())),
                sample(new OverlayMessages.Hello(new PeerAdvertisement(other.id(), "hello", other.signingKey(), other.agreementKey(),
                        "memory:hello", Set.of("overlay/1"), Instant.EPOCH), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})),
                sample(new Note(42, "grüße 👋")),
                sample(new Note(0, "")),
                sample(new Blob("x".repeat(300))),
                sample(new Tree(List.of(Tree.chain(3), new Tree(List.of()), Tree.chain(2)))));
    }

    private static FrameFuzzer fuzzer() {
        return new FrameFuzzer(CODEC, samples(), SIGNER, TAG, SEED);
    }

    @Test
    void randomAndDamagedFramesAreOnlyEverRefusedWithAFrameException() {
        Report report = fuzzer().run(INPUTS);

        assertThat(report.total()).isEqualTo(INPUTS);
        for (Kind kind : Kind.values()) assertThat(report.inputs(kind)).as("%s inputs", kind).isPositive();
        // The damage reaches every check of the envelope, the signature and the body decoder.
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
        // Every failure is the codecs' own, with what was expected; none is an accident of a slipped bound.
        assertThat(report.bodyFailures().keySet()).as("%s", report).containsOnly(WireFormatException.class.getSimpleName());
    }

    @Test
    void everyPrefixOfAValidFrameOfEveryTypeIsRefusedAsTruncated() {
        FrameFuzzer fuzzer = fuzzer();
        int prefixes = 0;
        for (byte[] frame : fuzzer.validFrames()) prefixes += fuzzer.truncateEverywhere(frame);
        assertThat(prefixes).isGreaterThan(samples().size() * FrameCodec.OVERHEAD);
    }

    @Test
    void everyPrefixOfAValidBodyOfEveryTypeSignedAgainIsRefusedAsMalformed() {
        FrameFuzzer fuzzer = fuzzer();
        int prefixes = 0;
        for (Sample s : samples()) prefixes += fuzzer.truncateBodyEverywhere(s);
        assertThat(prefixes).isPositive();
    }
}

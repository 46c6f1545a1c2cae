package dev.convene.overlay.wire;

import com.google.common.io.BaseEncoding;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded, bounded fuzzer for {@link FrameCodec#decode} with a codec's real message types. Each input is one
 * of four kinds: random bytes; random bytes behind a plausible header; a valid frame damaged one to three
 * times (bit flips, bytes set, inserted or deleted, truncation, length-field lies, type-id swaps, spliced
 * frames, another signer); or a valid body damaged the same way and then signed again, so that the body
 * decoder itself is reached. Most damage lands in the envelope, which is refused before any signature is
 * checked; that keeps 100,000 inputs within seconds while thousands still reach Ed25519 and the decoder.
 *
 * <p>Every input must end in a decoded frame or a {@link FrameException}; anything else thrown, an
 * {@link Error} included, fails with the seed, the input's number and its bytes in hex. A damaged frame must
 * never decode unless the damage left it byte for byte as it was (no forgery), and a frame signed again
 * must reach the body decoder ({@link DropReason#MALFORMED_BODY} or a decoded body, never
 * {@link DropReason#BAD_SIGNATURE}). Not thread-safe. Part of the test-jar.
 */
public final class FrameFuzzer {
    /** One valid message of a registered type: its id and its body as {@link FrameCodec} writes it. */
    public record Sample(int typeId, byte[] body) {
    }

    /** Kinds of input. */
    public enum Kind {
        RANDOM, RANDOM_HEADER, MUTATED_FRAME, RESIGNED_BODY
    }

    /** What a run did. */
    public static final class Report {
        private final Map<Kind, Long> inputs = new EnumMap<>(Kind.class);
        private final Map<DropReason, Long> refused = new EnumMap<>(DropReason.class);
        private final Map<Kind, Long> decoded = new EnumMap<>(Kind.class);
        private final Map<String, Long> bodyFailures = new TreeMap<>();

        /** Inputs tried, all kinds. */
        public long total() {
            return inputs.values().stream().mapToLong(Long::longValue).sum();
        }

        public long inputs(Kind kind) {
            return inputs.getOrDefault(kind, 0L);
        }

        public long refused(DropReason reason) {
            return refused.getOrDefault(reason, 0L);
        }

        public long decoded(Kind kind) {
            return decoded.getOrDefault(kind, 0L);
        }

        /** Body-only runs: how many inputs failed with each exception class. */
        public Map<String, Long> bodyFailures() {
            return Map.copyOf(bodyFailures);
        }

        @Override
        public String toString() {
            return "inputs " + inputs + ", refused " + refused + ", decoded " + decoded + ", body failures " + bodyFailures;
        }
    }

    /** Decodes one body of one type, as the envelope's body decoder would; may throw any runtime exception. */
    @FunctionalInterface
    public interface BodyDecoder {
        Object decode(int typeId, byte[] body);
    }

    private static final int[] LENGTH_LIES = {-1, 0, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7FFF_FFF0, 1 << 20, 1 << 24};

    private final FrameCodec codec;
    private final List<Sample> samples;
    private final List<byte[]> frames = new ArrayList<>();
    private final int[] typeIds;
    private final Identity signer;
    private final Identity stranger = Identity.generate();
    private final byte[] tag;
    private final long seed;
    private final Random random;

    /**
     * @param codec the codec under test, with the types of {@code samples} registered
     * @param samples at least one valid body of every registered type
     * @param signer the identity that signs the valid and the re-signed frames
     * @param tag the sender tag every frame is signed over and decoded with
     * @param seed the seed; the same seed gives the same inputs
     */
    public FrameFuzzer(FrameCodec codec, List<Sample> samples, Identity signer, byte[] tag, long seed) {
        if (samples.isEmpty()) throw new IllegalArgumentException("samples: empty (expected: one per type)");
        this.codec = codec;
        this.samples = List.copyOf(samples);
        this.signer = signer;
        this.tag = tag.clone();
        this.seed = seed;
        this.random = new Random(seed);
        this.typeIds = samples.stream().mapToInt(Sample::typeId).distinct().toArray();
        for (Sample s : samples) frames.add(TestFrames.signed(s.typeId(), s.body(), signer, tag));
    }

    /** The valid frame of each sample, in order. */
    public List<byte[]> validFrames() {
        return frames.stream().map(byte[]::clone).toList();
    }

    /** Runs {@code count} envelope inputs through {@link FrameCodec#decode}. */
    public Report run(int count) {
        Report report = new Report();
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(1000);
            if (roll < 300) {
                check(report, i, Kind.RANDOM, randomBytes(random.nextInt(FrameCodec.OVERHEAD * 4)), null);
            } else if (roll < 450) {
                check(report, i, Kind.RANDOM_HEADER, randomWithHeader(), null);
            } else if (roll < 990) {
                byte[] original = frames.get(random.nextInt(frames.size()));
                check(report, i, Kind.MUTATED_FRAME, mutateFrame(original), original);
            } else {
                Sample s = samples.get(random.nextInt(samples.size()));
                // One re-signed body in eight is decoded as another registered type: type confusion.
                int type = random.nextInt(8) == 0 ? typeIds[random.nextInt(typeIds.length)] : s.typeId();
                check(report, i, Kind.RESIGNED_BODY, TestFrames.signed(type, mutateBody(s.body()), signer, tag), null);
            }
        }
        return report;
    }

    /**
     * Runs {@code count} damaged bodies straight through {@code decoder}, without envelopes or signatures: the
     * same codecs the envelope's body decoder calls, at a hundred times the rate. Only runtime exceptions may
     * come out (the envelope counts each as {@link DropReason#MALFORMED_BODY}); an {@link Error} fails.
     */
    public Report runBodies(int count, BodyDecoder decoder) {
        Report report = new Report();
        for (int i = 0; i < count; i++) {
            Sample s = samples.get(random.nextInt(samples.size()));
            int type = random.nextInt(8) == 0 ? typeIds[random.nextInt(typeIds.length)] : s.typeId();
            byte[] body = mutateBody(s.body());
            report.inputs.merge(Kind.RESIGNED_BODY, 1L, Long::sum);
            try {
                decoder.decode(type, body);
                report.decoded.merge(Kind.RESIGNED_BODY, 1L, Long::sum);
            } catch (RuntimeException e) {
                report.bodyFailures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            } catch (Throwable t) {
                throw failure(i, Kind.RESIGNED_BODY, body, "type " + type + " threw " + t, t);
            }
        }
        return report;
    }

    /**
     * Decodes every proper prefix of {@code frame}, from empty to one byte short: each must be refused as
     * {@link DropReason#TRUNCATED}. Returns the number of prefixes.
     */
    public int truncateEverywhere(byte[] frame) {
        for (int length = 0; length < frame.length; length++) {
            byte[] prefix = Arrays.copyOf(frame, length);
            DropReason reason = refusal(prefix, length);
            if (reason != DropReason.TRUNCATED) {
                throw failure(length, Kind.MUTATED_FRAME, prefix, "prefix of " + length + " refused as " + reason + " (expected: TRUNCATED)", null);
            }
        }
        return frame.length;
    }

    /**
     * Signs every proper prefix of {@code sample}'s body, from empty to one byte short: each passes the
     * signature and must be refused by the body decoder as {@link DropReason#MALFORMED_BODY}. Returns the
     * number of prefixes.
     */
    public int truncateBodyEverywhere(Sample sample) {
        for (int length = 0; length < sample.body().length; length++) {
            byte[] frame = TestFrames.signed(sample.typeId(), Arrays.copyOf(sample.body(), length), signer, tag);
            DropReason reason = refusal(frame, length);
            if (reason != DropReason.MALFORMED_BODY) {
                throw failure(length, Kind.RESIGNED_BODY, frame, "body prefix of " + length + " refused as " + reason
                        + " (expected: MALFORMED_BODY)", null);
            }
        }
        return sample.body().length;
    }

    private DropReason refusal(byte[] input, int number) {
        try {
            Frame f = codec.decode(input, 0, input.length, tag);
            throw failure(number, Kind.MUTATED_FRAME, input, "decoded as " + f.type().type().getSimpleName(), null);
        } catch (FrameException e) {
            return e.reason();
        } catch (RuntimeException | Error e) {
            throw failure(number, Kind.MUTATED_FRAME, input, "threw " + e, e);
        }
    }

    private void check(Report report, int number, Kind kind, byte[] input, byte[] original) {
        report.inputs.merge(kind, 1L, Long::sum);
        Frame decoded;
        try {
            decoded = codec.decode(input, 0, input.length, tag);
        } catch (FrameException e) {
            report.refused.merge(e.reason(), 1L, Long::sum);
            if (kind == Kind.RESIGNED_BODY && e.reason() != DropReason.MALFORMED_BODY) {
                throw failure(number, kind, input, "a re-signed frame was refused as " + e.reason() + " (expected: MALFORMED_BODY or decoded)", e);
            }
            return;
        } catch (Throwable t) {
            throw failure(number, kind, input, "threw " + t + " (expected: FrameException only)", t);
        }
        report.decoded.merge(kind, 1L, Long::sum);
        if (kind == Kind.RESIGNED_BODY) return;
        if (original == null || frames.stream().noneMatch(f -> Arrays.equals(f, input))) {
            throw failure(number, kind, input, "a " + kind + " input decoded as " + decoded.type().type().getSimpleName()
                    + " signed by " + decoded.signer() + ": a forgery", null);
        }
    }

    private AssertionError failure(int number, Kind kind, byte[] input, String what, Throwable cause) {
        return new AssertionError("fuzz seed " + seed + ", input " + number + " (" + kind + "): " + what + "; input "
                + BaseEncoding.base16().encode(input), cause);
    }

    // ---- generators ------------------------------------------------------------------------------------

    private byte[] randomBytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** Random bytes behind the magic, the version and a registered (or any) type; the length field rarely agrees. */
    private byte[] randomWithHeader() {
        int bodyLength = random.nextInt(300);
        byte[] b = randomBytes(FrameCodec.OVERHEAD + bodyLength);
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.put(FrameCodec.MAGIC).put((byte) FrameCodec.VERSION);
        bb.putShort((short) (random.nextBoolean() ? typeIds[random.nextInt(typeIds.length)] : random.nextInt(0x10000)));
        int declared = switch (random.nextInt(16)) {
            case 0 -> bodyLength; // consistent: reaches the signature check, which must refuse it
            case 1, 2, 3 -> LENGTH_LIES[random.nextInt(LENGTH_LIES.length)];
            default -> bodyLength + random.nextInt(64) - 32;
        };
        bb.putInt(declared);
        return b;
    }

    private byte[] mutateFrame(byte[] frame) {
        byte[] f = frame;
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) f = mutateFrameOnce(f);
        return f;
    }

    /**
     * One piece of damage. The weights keep most of it in the envelope (refused before any signature check);
     * about one input in twenty-five leaves the envelope consistent, so Ed25519 must refuse it.
     */
    private byte[] mutateFrameOnce(byte[] f) {
        int roll = random.nextInt(100);
        if (f.length < FrameCodec.HEADER) return roll < 50 ? randomBytes(random.nextInt(FrameCodec.OVERHEAD)) : insert(f);
        if (roll < 20) return TestFrames.flipBit(f, random.nextInt(FrameCodec.HEADER * 8)); // header bit
        if (roll < 33) return lieAboutLength(f);
        if (roll < 43) return insert(f);
        if (roll < 53) return delete(f);
        if (roll < 61) return TestFrames.truncate(f, random.nextInt(f.length));
        if (roll < 67) return extend(f);
        if (roll < 75) return TestFrames.withType(f, random.nextInt(0x10000)); // almost always unregistered
        if (roll < 82) return TestFrames.withByte(f, TestFrames.VERSION_OFFSET, random.nextInt(256));
        if (roll < 88) return TestFrames.withByte(f, random.nextInt(4), random.nextInt(256)); // magic
        if (roll < 93) return splice(f, frames.get(random.nextInt(frames.size())));
        if (roll < 96) return random.nextBoolean() ? TestFrames.flipBit(f, random.nextInt(f.length * 8)) // anywhere
                : TestFrames.withByte(f, random.nextInt(f.length), random.nextInt(256));
        if (roll < 98) return TestFrames.withType(f, typeIds[random.nextInt(typeIds.length)]); // registered
        return otherSigner(f);
    }

    private byte[] lieAboutLength(byte[] f) {
        int actual = f.length - FrameCodec.OVERHEAD;
        int declared = random.nextBoolean() ? LENGTH_LIES[random.nextInt(LENGTH_LIES.length)] : actual + random.nextInt(17) - 8;
        if (declared == actual) declared++;
        return TestFrames.withDeclaredLength(f, declared);
    }

    private byte[] insert(byte[] f) {
        int at = random.nextInt(f.length + 1);
        byte[] extra = randomBytes(1 + random.nextInt(8));
        byte[] out = new byte[f.length + extra.length];
        System.arraycopy(f, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(f, at, out, at + extra.length, f.length - at);
        return out;
    }

    private byte[] delete(byte[] f) {
        if (f.length == 0) return f;
        int at = random.nextInt(f.length);
        int n = Math.min(f.length - at, 1 + random.nextInt(8));
        byte[] out = new byte[f.length - n];
        System.arraycopy(f, 0, out, 0, at);
        System.arraycopy(f, at + n, out, at, f.length - at - n);
        return out;
    }

    private byte[] extend(byte[] f) {
        byte[] tail = randomBytes(1 + random.nextInt(64));
        byte[] out = Arrays.copyOf(f, f.length + tail.length);
        System.arraycopy(tail, 0, out, f.length, tail.length);
        return out;
    }

    /** The start of one frame followed by the rest of another. */
    private byte[] splice(byte[] a, byte[] b) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    /** The signer's key replaced by a stranger's or by random bytes, the signature kept. */
    private byte[] otherSigner(byte[] f) {
        if (f.length < FrameCodec.OVERHEAD) return f;
        byte[] out = f.clone();
        int at = f.length - FrameCodec.TRAILER;
        byte[] key = random.nextBoolean() ? stranger.signingKey() : randomBytes(Identity.KEY_LENGTH);
        System.arraycopy(key, 0, out, at, Identity.KEY_LENGTH);
        return out;
    }

    /** One to three pieces of damage to a body, aimed at lengths, counts, varints and strings. */
    public byte[] mutateBody(byte[] body) {
        byte[] b = body;
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) b = mutateBodyOnce(b);
        return b;
    }

    private byte[] mutateBodyOnce(byte[] b) {
        int roll = random.nextInt(10);
        if (b.length == 0) return randomBytes(1 + random.nextInt(16));
        switch (roll) {
            case 0:
                return TestFrames.flipBit(b, random.nextInt(b.length * 8));
            case 1: {
                byte[] out = b.clone();
                int[] special = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE};
                out[random.nextInt(b.length)] = (byte) (random.nextBoolean() ? special[random.nextInt(special.length)] : random.nextInt(256));
                return out;
            }
            case 2:
                return insert(b);
            case 3:
                return delete(b);
            case 4:
                return Arrays.copyOf(b, random.nextInt(b.length));
            case 5:
                return extend(b);
            case 6: {
                // A varint that claims a huge length or count: five bytes with the continuation bit set.
                byte[] out = b.clone();
                int at = random.nextInt(b.length);
                byte[] lie = random.nextBoolean() ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}
                        : new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
                System.arraycopy(lie, 0, out, at, Math.min(lie.length, b.length - at));
                return out;
            }
            case 7: {
                // A slice repeated: lists that seem longer, elements out of step.
                int from = random.nextInt(b.length);
                int n = Math.min(b.length - from, 1 + random.nextInt(64));
                byte[] out = Arrays.copyOf(b, b.length + n);
                System.arraycopy(b, from, out, from + n, b.length - from);
                return out;
            }
            case 8:
                return splice(b, samples.get(random.nextInt(samples.size())).body());
            default: {
                byte[] out = b.clone();
                int at = random.nextInt(b.length);
                out[at] = (byte) (out[at] + (random.nextBoolean() ? 1 : -1));
                return out;
            }
        }
    }
}

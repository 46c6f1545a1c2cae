package dev.convene.bench;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventCodec;
import dev.convene.conference.EventType;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ephemeral event latency in a conference of {@link #PEERS} in-JVM peers: the author publishes one
 * {@link Delivery#EPHEMERAL} event (a cursor-sized value), waits until every other participant's listener has it,
 * then publishes the next; each (event, receiver) pair is one sample from the call to {@code publish} to the
 * receiver's listener. The baseline multicasts a {@code BytesMessage} of the ephemeral frame's size to as many raw
 * channels on the same stack, timed from {@code send} to {@code receive}. Events are paced below the type's rate
 * limit, which never shapes a sample: each event is sent only once the previous one arrived everywhere.
 */
final class EventsBench {
    /** Participants of the conference (one author, the others receive). */
    static final int PEERS = 3;
    /** Bytes of one event's value: a cursor position or a "typing" flag with room to spare. */
    static final int VALUE_BYTES = 64;
    /** The least time between two events, below the type's limit of {@code 1000/s} (and the receivers' burst). */
    static final Duration PACE = Duration.ofMillis(2);
    /** The bench's ephemeral event type: its value is the event's number, padded to {@link #VALUE_BYTES}. */
    static final EventType<Integer> PING = new EventType<>("bench.ephemeral.ping", 1, new Codec(), Delivery.EPHEMERAL, VALUE_BYTES, 1000);

    private final Workspace ws;
    private final Profile profile;
    private final Consumer<String> progress;

    EventsBench(Workspace ws, Profile profile, Consumer<String> progress) {
        this.ws = ws;
        this.profile = profile;
        this.progress = progress;
    }

    /** The ephemeral latency figures, or the same figures missing with why. */
    List<Figure> run() throws InterruptedException {
        NetworkMode mode = PEERS >= profile.memoryFrom() ? NetworkMode.MEMORY : NetworkMode.LOCAL;
        String where = mode == NetworkMode.MEMORY ? "memory" : "tcp";
        int warmup = profile.latencyWarmup(PEERS);
        int total = warmup + profile.latencyMessages(PEERS);
        Samples ours;
        Samples raw;
        try {
            progress.accept("events: ephemeral events to " + (PEERS - 1) + " Convene peers (" + where + ")");
            ours = convene(mode, warmup, total);
            progress.accept("events: the same bytes to " + (PEERS - 1) + " raw JGroups channels (" + where + ")");
            raw = raw(mode, warmup, total);
        } catch (BenchException e) {
            return missing(where, e.getMessage());
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return missing(where, "raw JGroups channels failed: " + e);
        }
        String note = ours.size() + " samples each (" + (total - warmup) + " events x " + (PEERS - 1) + " receivers after " + warmup
                + " warm-up), one event in flight, at most one per " + PACE.toMillis() + " ms; value " + VALUE_BYTES
                + " bytes; raw: " + frameBytes() + "-byte BytesMessage multicast";
        return figures(where, ours, raw, note);
    }

    private Samples convene(NetworkMode mode, int warmup, int total) throws InterruptedException {
        try (ConveneGroup g = ConveneGroup.start(ws, "evc", PEERS, mode, false, b -> b.eventType(PING))) {
            ConferencePeer author = g.peers().get(0);
            List<ConferencePeer> others = g.peers().subList(1, PEERS);
            ConferenceId id = ConveneGroup.openConference(author, others, others.stream().map(ConferencePeer::self).toList());
            Arrivals arrivals = new Arrivals(PEERS - 1, total);
            for (int r = 0; r < others.size(); r++) {
                int receiver = r;
                others.get(r).onEvent(PING, e -> {
                    long now = System.nanoTime();
                    if (e.conference().equals(id) && e.author().equals(author.self())) arrivals.record(receiver, e.value(), now);
                });
            }
            long[] sentAt = new long[total];
            long next = System.nanoTime();
            for (int m = 0; m < total; m++) {
                while (System.nanoTime() < next) Thread.sleep(0, 200_000);
                sentAt[m] = System.nanoTime();
                next = sentAt[m] + PACE.toNanos();
                try {
                    author.publish(id, PING, m).join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw new BenchException("publishing ephemeral event " + m + " failed: " + e.getCause(), e);
                }
                if (!arrivals.awaitMessage(m, Waits.deadline(LatencyBench.PER_MESSAGE))) {
                    throw new BenchException("ephemeral event " + m + " did not reach all " + (PEERS - 1) + " receivers within "
                            + LatencyBench.PER_MESSAGE.toSeconds() + " s");
                }
            }
            return arrivals.delays(sentAt, warmup);
        }
    }

    private Samples raw(NetworkMode mode, int warmup, int total) throws Exception {
        int frame = frameBytes();
        try (RawGroup g = RawGroup.start(ws, "evr", PEERS, mode)) {
            Arrivals arrivals = new Arrivals(PEERS - 1, total);
            for (int i = 1; i < PEERS; i++) g.recordArrivals(i, i - 1, arrivals);
            long[] sentAt = new long[total];
            long next = System.nanoTime();
            for (int m = 0; m < total; m++) {
                while (System.nanoTime() < next) Thread.sleep(0, 200_000);
                sentAt[m] = System.nanoTime();
                next = sentAt[m] + PACE.toNanos();
                g.send(0, null, m, frame);
                if (!arrivals.awaitMessage(m, Waits.deadline(LatencyBench.PER_MESSAGE))) {
                    throw new BenchException("raw message " + m + " did not reach all " + (PEERS - 1) + " receivers within "
                            + LatencyBench.PER_MESSAGE.toSeconds() + " s");
                }
            }
            return arrivals.delays(sentAt, warmup);
        }
    }

    /**
     * The length of the frame that carries one bench event (within a few bytes: varints vary): the frame's
     * header and MAC trailer around the ephemeral body (Kryo's registration id, conference id, sequence, clock,
     * key epoch, then nonce, AES-GCM ciphertext of the typed plaintext, and tag).
     */
    static int frameBytes() {
        int plaintext = 1 + 1 + PING.name().length() + 2 + VALUE_BYTES;
        int body = 2 + 1 + ConferenceId.random().value().length() + 2 + 7 + 1 + 2 + 12 + plaintext + 16;
        return FrameCodec.MAC_OVERHEAD + body;
    }

    private List<Figure> missing(String where, String why) {
        List<Figure> out = new ArrayList<>();
        for (Figure f : figures(where, new Samples(), new Samples(), "")) out.add(Figure.missing(f.key(), f.label(), f.unit(), f.target(), why));
        return out;
    }

    private static List<Figure> figures(String where, Samples ours, Samples raw, String note) {
        String label = "ephemeral event latency %s, " + PEERS + " peers (" + where + ")";
        return List.of(
                new Figure("events.ephemeral.p50", String.format(label, "p50"), "ms", ours.percentileMillis(50), raw.percentileMillis(50), null, note),
                new Figure("events.ephemeral.p99", String.format(label, "p99"), "ms", ours.percentileMillis(99), raw.percentileMillis(99), null, ""));
    }

    /** Event number {@code m} as four big-endian bytes, padded with zeros to {@link #VALUE_BYTES}. */
    private static final class Codec implements EventCodec<Integer> {
        @Override
        public byte[] encode(Integer value) {
            return ByteBuffer.allocate(VALUE_BYTES).putInt(value).array();
        }

        @Override
        public Integer decode(byte[] bytes) {
            if (bytes.length != VALUE_BYTES) throw new IllegalArgumentException("bench event: " + bytes.length + " bytes (expected: " + VALUE_BYTES + ")");
            int m = ByteBuffer.wrap(bytes).getInt();
            if (m < 0) throw new IllegalArgumentException("bench event number: " + m + " (expected: >= 0)");
            return m;
        }
    }
}

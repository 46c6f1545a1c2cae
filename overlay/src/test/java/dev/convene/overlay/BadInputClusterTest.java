package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestMessages.Note;
import dev.convene.overlay.internal.OverlayCore;
import dev.convene.overlay.internal.OverlayMessages;
import dev.convene.overlay.internal.OverlayMessages.AdvertisementRequest;
import dev.convene.overlay.internal.Stacks;
import dev.convene.overlay.wire.FrameCodec;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.TestFrames;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.JChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile peer sends bad frames over the real (in-JVM) network to a victim. For every kind, the victim
 * stays up and keeps talking, its directory does not change, and each frame is counted under its reason.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The victim's frame cap: small, so oversized frames stay cheap. */
    private static final int VICTIM_CAP = 16 << 10;

    /** A type the attacker registered and the victim did not. */
    record Unwanted(int n) {
    }

    private static final MessageType<Unwanted> UNWANTED = new MessageType<>(150, Unwanted.class, new WireCodec<>() {
        @Override
        public void write(WireWriter out, Unwanted value) {
            out.writeVarInt(value.n());
        }

        @Override
        public Unwanted read(WireReader in) {
            return new Unwanted(in.readVarInt(0, Integer.MAX_VALUE));
        }
    });

    private final TestCluster cluster = TestCluster.memory();
    private final Inbox victimInbox = new Inbox();
    private final Inbox attackerInbox = new Inbox();
    private final AtomicInteger round = new AtomicInteger();
    private Overlay victim;
    private Overlay attacker;
    private Overlay bystander;
    /** A second identity the attacker holds, never advertised. */
    private final Identity sidekick = Identity.generate();

    @BeforeAll
    void startPeers() {
        victim = cluster.start(cluster.config("victim", null).maxFrameBytes(VICTIM_CAP).build(), Identity.generate(),
                b -> b.handle(TestMessages.NOTE, victimInbox));
        attacker = cluster.start("attacker", null, Identity.generate(),
                b -> b.handle(TestMessages.NOTE, attackerInbox).handle(UNWANTED, (from, m) -> { }));
        bystander = cluster.start("bystander", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, new Inbox()));
        TestCluster.awaitFullDirectory(WAIT, List.of(victim, attacker, bystander));
    }

    @AfterAll
    void stopPeers() {
        cluster.close();
    }

    /** What the attacker can do: its implementation, keys and sender tag. */
    private OverlayCore hostile() {
        return OverlayTestHooks.core(attacker);
    }

    private byte[] validNote() {
        return hostile().sealFor(victim.self(), new Note(1, "looks fine"));
    }

    private byte[] signedByAttacker(int typeId, byte[] body) {
        return TestFrames.signed(typeId, body, attacker.identity(), hostile().senderTag());
    }

    private byte[] macdByAttacker(int typeId, byte[] body) {
        return hostile().sealBodyFor(victim.self(), typeId, body);
    }

    private static OverlayMessages.Hello hello(PeerAdvertisement ad) {
        return new OverlayMessages.Hello(ad, new byte[16]);
    }

    private static PeerAdvertisement advertisementOf(Identity id, String name) {
        return new PeerAdvertisement(id.id(), name, id.signingKey(), id.agreementKey(), "memory:x", Set.of("overlay/1"), Instant.now());
    }

    private static byte[] randomBytes(Random random, int minLength, int maxLength) {
        byte[] b = new byte[minLength + random.nextInt(maxLength - minLength + 1)];
        random.nextBytes(b);
        if (b.length > 0 && b[0] == 'C') b[0] = 'c'; // certainly not our magic
        return b;
    }

    /** One kind of attack: the frames to send, built with the attacker's real keys and address. */
    interface Attack extends Function<BadInputClusterTest, List<byte[]>> {
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("random bytes", DropReason.BAD_MAGIC, t -> {
                    Random random = new Random(11);
                    return Stream.generate(() -> randomBytes(random, FrameCodec.MAC_OVERHEAD, 600)).limit(50).toList();
                }),
                attack("short random bytes and an empty frame", DropReason.TRUNCATED, t -> {
                    Random random = new Random(12);
                    List<byte[]> frames = new ArrayList<>(Stream.generate(() -> randomBytes(random, 1, FrameCodec.MAC_OVERHEAD - 1))
                            .limit(20).toList());
                    frames.add(new byte[0]);
                    return frames;
                }),
                attack("a flood of garbage", DropReason.BAD_MAGIC, t -> {
                    Random random = new Random(13);
                    return Stream.generate(() -> randomBytes(random, FrameCodec.MAC_OVERHEAD, 200)).limit(1000).toList();
                }),
                attack("truncated frames", DropReason.TRUNCATED, t -> {
                    byte[] f = t.validNote();
                    return List.of(TestFrames.truncate(f, 4), TestFrames.truncate(f, FrameCodec.MAC_OVERHEAD - 1),
                            TestFrames.truncate(f, FrameCodec.MAC_OVERHEAD), TestFrames.truncate(f, f.length - 1));
                }),
                attack("body length longer than the frame", DropReason.TRUNCATED, t -> {
                    byte[] f = t.validNote();
                    return List.of(TestFrames.withDeclaredLength(f, TestFrames.bodyLength(f) + 1),
                            TestFrames.withDeclaredLength(f, VICTIM_CAP - FrameCodec.MAC_OVERHEAD));
                }),
                attack("body length shorter than the frame or negative", DropReason.BAD_LENGTH, t -> {
                    byte[] f = t.validNote();
                    return List.of(TestFrames.withDeclaredLength(f, TestFrames.bodyLength(f) - 1), TestFrames.withDeclaredLength(f, 0),
                            TestFrames.withDeclaredLength(f, -1), TestFrames.withDeclaredLength(f, Integer.MIN_VALUE));
                }),
                attack("body length above the cap", DropReason.OVERSIZED, t -> {
                    byte[] f = t.validNote();
                    return List.of(TestFrames.withDeclaredLength(f, VICTIM_CAP), TestFrames.withDeclaredLength(f, Integer.MAX_VALUE));
                }),
                attack("frames larger than the victim's cap", DropReason.OVERSIZED, t -> List.of(
                        t.hostile().encodeAs(t.attacker.identity(), new Note(2, "x".repeat(VICTIM_CAP))),
                        new byte[VICTIM_CAP + 1])),
                attack("unknown type ids", DropReason.UNKNOWN_TYPE, t -> List.of(
                        TestFrames.withType(t.validNote(), 999),
                        t.signedByAttacker(0, new byte[] {1}),
                        t.signedByAttacker(0xFFFF, new byte[] {1}),
                        t.hostile().encodeAs(t.attacker.identity(), new Unwanted(5)))),
                attack("bad magic", DropReason.BAD_MAGIC, t -> List.of(TestFrames.withByte(t.validNote(), 0, 'X'),
                        TestFrames.withByte(t.validNote(), 3, '2'))),
                attack("bad versions", DropReason.BAD_VERSION, t -> List.of(TestFrames.withByte(t.validNote(), TestFrames.VERSION_OFFSET, 4),
                        TestFrames.withByte(t.validNote(), TestFrames.VERSION_OFFSET, 0))),
                attack("flipped bits in body, sequence number and MAC", DropReason.BAD_MAC, t -> {
                    byte[] f = t.validNote();
                    int seq = TestFrames.BODY_OFFSET + TestFrames.bodyLength(f);
                    return List.of(TestFrames.flipBit(f, TestFrames.BODY_OFFSET * 8 + 9), TestFrames.flipBit(f, seq * 8 + 3),
                            TestFrames.flipBit(f, (seq + 8) * 8 + 17));
                }),
                attack("another peer's frames for the victim sent from the attacker's address", DropReason.BAD_MAC, t -> {
                    OverlayCore other = OverlayTestHooks.core(t.bystander);
                    return List.of(other.sealFor(t.victim.self(), new Note(3, "from the bystander")),
                            other.sealFor(t.victim.self(), new Note(4, "again")));
                }),
                attack("another peer's signed advertisement sent from the attacker's address", DropReason.BAD_SIGNATURE, t -> List.of(
                        OverlayTestHooks.core(t.bystander).encodeAs(t.bystander.identity(), hello(t.bystander.advertisement())))),
                attack("signed frames of types that must carry a pair-key MAC", DropReason.UNAUTHENTICATED, t -> List.of(
                        t.hostile().encodeAs(t.attacker.identity(), new Note(5, "signed, not MAC'd")),
                        t.hostile().encodeAs(t.sidekick, new Note(4, "I am someone else")),
                        t.hostile().encodeAs(t.attacker.identity(), t.attacker.advertisement()))),
                attack("authenticated garbage bodies", DropReason.MALFORMED_BODY, t -> List.of(
                        t.macdByAttacker(TestMessages.NOTE_ID, new byte[0]),
                        t.macdByAttacker(TestMessages.NOTE_ID, new byte[] {1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 7}),
                        t.macdByAttacker(TestMessages.NOTE_ID, new byte[] {1, 2, (byte) 0xC3, 0x28}),
                        t.signedByAttacker(OverlayMessages.HELLO.id(), "garbage".getBytes(StandardCharsets.US_ASCII)),
                        t.signedByAttacker(OverlayMessages.AD_REQUEST.id(), new byte[] {3, 'a', 'b', 'c'}))),
                attack("the overlay's own types sent MAC'd", DropReason.UNAUTHENTICATED, t -> List.of(
                        t.macdByAttacker(OverlayMessages.AD_REQUEST.id(), new byte[] {1}),
                        t.macdByAttacker(OverlayMessages.HELLO.id(), new byte[] {1}))),
                attack("frames signed by a second identity from an address bound to the first", DropReason.SIGNER_MISMATCH, t -> List.of(
                        t.hostile().encodeAs(t.sidekick, new AdvertisementRequest(t.sidekick.id())),
                        t.hostile().encodeAs(t.sidekick, hello(advertisementOf(t.sidekick, "sidekick"))))),
                attack("advertisements for one identity signed by another", DropReason.SIGNER_MISMATCH, t -> List.of(
                        t.hostile().encodeAs(t.attacker.identity(), hello(advertisementOf(t.sidekick, "sidekick"))),
                        t.hostile().encodeAs(t.attacker.identity(), hello(t.bystander.advertisement())),
                        t.hostile().encodeAs(t.attacker.identity(), hello(t.victim.advertisement())),
                        t.hostile().encodeAs(t.sidekick, hello(t.attacker.advertisement())))));
    }

    private static Arguments attack(String name, DropReason reason, Attack attack) {
        return Arguments.of(name, reason, attack);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileFramesAreDroppedCountedAndChangeNothing(String name, DropReason reason, Attack attack) {
        List<PeerAdvertisement> knownBefore = victim.directory().known();
        List<PeerAdvertisement> onlineBefore = victim.directory().online();
        int notesBefore = victimInbox.all().size();
        OverlayStats before = victim.stats();
        List<byte[]> frames = attack.apply(this);

        for (byte[] frame : frames) hostile().sendRaw(victim.self(), frame);
        String probe = "still there? " + round.incrementAndGet();
        attacker.send(victim.self(), new Note(0, probe));
        victimInbox.await(WAIT, attacker.self(), probe); // FIFO: every bad frame before it was handled

        OverlayStats after = victim.stats();
        assertThat(after.drops(reason) - before.drops(reason)).as("%s drops", reason).isEqualTo(frames.size());
        assertThat(after.totalDrops() - before.totalDrops()).as("all drops").isEqualTo(frames.size());
        assertThat(victimInbox.all()).hasSize(notesBefore + 1);
        assertThat(victim.directory().known()).isEqualTo(knownBefore);
        assertThat(victim.directory().online()).isEqualTo(onlineBefore);
        assertThat(victim.directory().get(sidekick.id())).isEmpty();
        assertThat(victim.directory().resolve("attacker").id()).isEqualTo(attacker.self());

        victim.send(attacker.self(), new Note(0, "yes, " + probe));
        attackerInbox.await(WAIT, victim.self(), "yes, " + probe);
    }

    @Test
    void aMemberThatSendsSomethingOtherThanBytesIsCountedAndIgnored() throws Exception {
        try (TestCluster own = TestCluster.memory()) {
            Inbox inbox = new Inbox();
            Overlay target = own.start("target", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox));
            OverlayConfig rawConfig = own.config("raw", null).build();
            try (JChannel raw = new JChannel(new ByteArrayInputStream(Stacks.xml(rawConfig, List.of()).getBytes(StandardCharsets.UTF_8)))) {
                raw.connect(rawConfig.cluster());
                TestCluster.awaitCondition(WAIT, () -> target.stats().members() == 2, () -> "raw member not in the view");
                Address targetAddress = raw.getView().getMembers().stream().filter(a -> !a.equals(raw.getAddress())).findFirst()
                        .orElseThrow();
                long before = target.stats().drops(DropReason.BAD_MAGIC);
                raw.send(new EmptyMessage(targetAddress));
                TestCluster.awaitCondition(WAIT, () -> target.stats().drops(DropReason.BAD_MAGIC) == before + 1,
                        () -> target.stats().toString());
            }
            // A JGroups member that never advertised is never a peer.
            assertThat(target.directory().online()).isEmpty();
            assertThat(target.directory().known()).extracting(PeerAdvertisement::name).containsExactly("target");
            assertThat(inbox.all()).isEmpty();
        }
    }
}

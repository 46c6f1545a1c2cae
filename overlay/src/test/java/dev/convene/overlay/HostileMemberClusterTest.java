package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestMessages.Note;
import dev.convene.overlay.internal.OverlayCore;
import dev.convene.overlay.wire.FrameCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile JGroups member ({@link HostileMember}: a bare channel on the same stack) attacks a victim peer
 * while an honest bystander talks to it. Each test asserts outcomes only: the victim stays up, the honest
 * peer's frames all arrive, the attack is counted, and what the victim holds stays bounded. Figures (frames,
 * bytes, CPU ms) go into the assertion descriptions and {@code target/security-figures.txt}.
 */
@Timeout(90)
class HostileMemberClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path FIGURES = Path.of("target", "security-figures.txt");

    private TestCluster cluster;
    private Overlay victim;
    private Overlay bystander;
    private final Inbox victimInbox = new Inbox();
    private final Inbox bystanderInbox = new Inbox();
    private HostileMember mallory;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

    @BeforeEach
    void start() {
        cluster = TestCluster.memory();
        victim = cluster.start(cluster.config("victim", null).maxFramesPerSecond(500).build(), Identity.generate(),
                b -> b.handle(TestMessages.NOTE, victimInbox));
        bystander = cluster.start("bystander", null, Identity.generate(), b -> b.handle(TestMessages.NOTE, bystanderInbox));
        TestCluster.awaitFullDirectory(WAIT, List.of(victim, bystander));
        mallory = HostileMember.besides(victim, "mallory");
        TestCluster.awaitCondition(WAIT, () -> victim.stats().members() == 3 && mallory.sees(HostileMember.addressOf(victim)),
                () -> "mallory not in the view: " + victim.stats().members());
    }

    @AfterEach
    void stop() {
        if (mallory != null) mallory.close();
        cluster.close();
    }

    private static void figure(String line) {
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("cannot write figures", e);
        }
    }

    private long cpuMillis() {
        return cpu.isCurrentThreadCpuTimeSupported()
                ? java.util.Arrays.stream(cpu.getAllThreadIds()).map(cpu::getThreadCpuTime).filter(t -> t > 0).sum() / 1_000_000 : -1;
    }

    /**
     * The bystander sends {@code n} notes; all must arrive at the victim, in order, under the bystander's id.
     * Returns the milliseconds from the first send to the last arrival and the victim's answer: a figure only.
     */
    private long honestNotesAllArrive(String tag, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) bystander.send(victim.self(), new Note(i, tag + " " + i));
        victimInbox.await(WAIT, bystander.self(), tag + " " + (n - 1));
        List<String> got = victimInbox.from(bystander.self()).stream().map(Note::text).filter(t -> t.startsWith(tag + " ")).toList();
        assertThat(got).as("honest notes '%s'", tag).hasSize(n).startsWith(tag + " 0").endsWith(tag + " " + (n - 1));
        victim.send(bystander.self(), new Note(0, "ack " + tag));
        bystanderInbox.await(WAIT, victim.self(), "ack " + tag);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Waits until the victim has handled every frame mallory sent (counted one way or another). */
    private void awaitCounted(OverlayStats before, long frames) {
        TestCluster.awaitCondition(WAIT, () -> victim.stats().framesReceived() - before.framesReceived() >= frames,
                () -> "victim received " + (victim.stats().framesReceived() - before.framesReceived()) + " of " + frames);
    }

    @Test
    void framesForgedInAMembersNameAreRefusedAndDoNotSpendItsRateOrQueue() {
        Address bystanderAddress = HostileMember.addressOf(bystander);
        Address victimAddress = HostileMember.addressOf(victim);
        int forged = 3000;
        Random random = new Random(7);
        byte[] key = new byte[32];
        random.nextBytes(key);
        OverlayStats before = victim.stats();
        long cpu0 = cpuMillis();
        for (int i = 0; i < forged; i++) {
            byte[] frame = FrameCodec.sealBody(TestMessages.NOTE_ID, new byte[] {1, 3, 'h', 'i'}, i + 1, key);
            mallory.send(victimAddress, frame, bystanderAddress, true);
        }
        // Signed frames in the bystander's name: a valid signature, but over the bystander's address, for another key.
        mallory.send(victimAddress, mallory.helloAs(bystanderAddress), bystanderAddress, true);
        awaitCounted(before, forged + 1);
        long cpuMs = cpuMillis() - cpu0;
        long honestMs = honestNotesAllArrive("through the forgery", 300);

        OverlayStats after = victim.stats();
        String figures = String.format("forged src: %d frames (%d bytes) in another member's name -> BAD_MAC %d, SIGNER_MISMATCH %d, "
                        + "honest RATE_LIMITED %d, all-thread CPU %d ms; then 300 honest notes in %d ms", forged + 1, mallory.bytesSent(),
                after.drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC),
                after.drops(DropReason.SIGNER_MISMATCH) - before.drops(DropReason.SIGNER_MISMATCH),
                after.drops(DropReason.RATE_LIMITED) - before.drops(DropReason.RATE_LIMITED), cpuMs, honestMs);
        figure(figures);
        assertThat(after.drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC)).as(figures).isEqualTo(forged);
        assertThat(after.drops(DropReason.SIGNER_MISMATCH) - before.drops(DropReason.SIGNER_MISMATCH)).as(figures).isEqualTo(1);
        assertThat(after.drops(DropReason.RATE_LIMITED) - before.drops(DropReason.RATE_LIMITED)).as(figures).isZero();
        assertThat(victim.directory().get(mallory.identity().id())).isEmpty();
        assertThat(victim.directory().resolve("bystander").id()).isEqualTo(bystander.self());
    }

    @Test
    void madeUpSourcesMakeNoGhostsGetNoAnswerAndHoldBoundedMemory() {
        Address victimAddress = HostileMember.addressOf(victim);
        int sources = 400;
        OverlayStats before = victim.stats();
        long sentBefore = before.framesSent();
        for (int i = 0; i < sources; i++) {
            Address fake = HostileMember.madeUpAddress();
            mallory.send(victimAddress, mallory.helloAs(fake), fake, true);
            mallory.send(victimAddress, mallory.requestAs(fake), fake, true);
        }
        awaitCounted(before, 2L * sources);
        OverlayCore core = OverlayTestHooks.core(victim);
        assertThat(core.bookkeeping().get("held")).as("sources with frames held").isLessThanOrEqualTo(256);
        assertThat(core.bookkeeping().get("limiters")).as("limiters").isLessThanOrEqualTo(4);
        assertThat(core.bookkeeping().get("retries")).as("members asked for a Hello (members only)").isLessThanOrEqualTo(2);
        assertThat(core.bookkeeping().get("outboundQueues")).as("outbound queues (members only)").isLessThanOrEqualTo(2);
        assertThat(victim.directory().get(mallory.identity().id())).as("ghost peer").isEmpty();
        assertThat(victim.directory().online()).extracting(PeerAdvertisement::id).containsExactly(bystander.self());

        // After a grace (for joiners' early frames), whatever was held for addresses outside the view is dropped
        // and counted, at a view change or when any frame arrives; honest traffic keeps arriving meanwhile.
        Overlay late = cluster.start("late");
        TestCluster.awaitFullDirectory(WAIT, List.of(victim, bystander, late));
        int[] poke = {0};
        TestCluster.awaitCondition(WAIT, () -> {
            bystander.send(victim.self(), new Note(poke[0]++, "tick"));
            return core.bookkeeping().get("held") == 0;
        }, () -> "still held: " + core.bookkeeping());
        OverlayStats after = victim.stats();
        String figures = String.format("made-up src: %d frames from %d addresses (%d bytes) -> NOT_MEMBER %d, directory %d online, "
                        + "answers sent to them 0 (victim sent %d frames, all to members)", 2 * sources, sources, mallory.bytesSent(),
                after.drops(DropReason.NOT_MEMBER) - before.drops(DropReason.NOT_MEMBER), victim.directory().online().size(),
                after.framesSent() - sentBefore);
        figure(figures);
        // Every forged frame is refused; on a loaded machine an honest frame racing a view change may be counted too.
        assertThat(after.drops(DropReason.NOT_MEMBER) - before.drops(DropReason.NOT_MEMBER)).as(figures).isGreaterThanOrEqualTo(2L * sources);
        assertThat(core.bookkeeping().get("held")).isZero();
        assertThat(core.bookkeeping().get("outboundQueues")).as("outbound queues (members only)").isLessThanOrEqualTo(3);
        assertThat(victim.directory().get(mallory.identity().id())).isEmpty();
        honestNotesAllArrive("after the ghosts", 20);
    }

    @Test
    void aCapturedFrameReplayedFromItsSendersAddressOrAnotherIsRefused() {
        Address bystanderAddress = HostileMember.addressOf(bystander);
        Address victimAddress = HostileMember.addressOf(victim);
        byte[] captured = OverlayTestHooks.core(bystander).sealFor(victim.self(), new Note(1, "only once"));
        OverlayStats before = victim.stats();
        int replays = 200;
        mallory.send(victimAddress, mallory.helloAs(mallory.address())); // mallory is a peer too: it has its own key
        TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(mallory.identity().id()), () -> "mallory never advertised");
        for (int i = 0; i < replays; i++) mallory.send(victimAddress, captured, bystanderAddress, true);
        for (int i = 0; i < 10; i++) mallory.send(victimAddress, captured); // from its own address: another pair key
        awaitCounted(before, replays + 11);

        // A frame the victim sent mallory, captured on arrival: reflected back to the victim, and passed on to the
        // bystander in the victim's name. Keys are per pair and per direction: neither verifies.
        int capturedBefore = mallory.captured().size();
        victim.send(mallory.identity().id(), new Note(9, "for mallory"));
        TestCluster.awaitCondition(WAIT, () -> mallory.captured().size() > capturedBefore, () -> "mallory captured nothing");
        byte[] toMallory = mallory.captured().get(mallory.captured().size() - 1).frame();
        OverlayStats bystanderBefore = bystander.stats();
        OverlayStats reflectedBefore = victim.stats();
        mallory.send(victimAddress, toMallory);
        mallory.send(HostileMember.addressOf(bystander), toMallory, victimAddress, true);
        TestCluster.awaitCondition(WAIT, () -> victim.stats().drops(DropReason.BAD_MAC) > reflectedBefore.drops(DropReason.BAD_MAC)
                        && bystander.stats().drops(DropReason.BAD_MAC) > bystanderBefore.drops(DropReason.BAD_MAC),
                () -> "reflected or passed-on frame not refused: " + victim.stats().drops() + " / " + bystander.stats().drops());
        assertThat(bystanderInbox.all()).noneMatch(r -> r.note().text().equals("for mallory"));
        assertThat(victimInbox.all()).noneMatch(r -> r.note().text().equals("for mallory"));
        honestNotesAllArrive("after the replays", 20);

        OverlayStats after = victim.stats();
        String figures = String.format("replay: 1 captured frame sent %d times from its sender's address and 10 from the attacker's -> "
                        + "delivered 1, REPLAYED %d, BAD_MAC %d (with 1 reflected to its sender)", replays,
                after.drops(DropReason.REPLAYED) - before.drops(DropReason.REPLAYED),
                after.drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC));
        figure(figures);
        assertThat(victimInbox.from(bystander.self()).stream().filter(n -> n.text().equals("only once"))).as(figures).hasSize(1);
        assertThat(after.drops(DropReason.REPLAYED) - before.drops(DropReason.REPLAYED)).as(figures).isEqualTo(replays - 1);
        assertThat(after.drops(DropReason.BAD_MAC) - before.drops(DropReason.BAD_MAC)).as(figures).isEqualTo(11);
    }

    @Test
    void aMemberThatWithholdsFlowControlCreditsStallsOnlyItsOwnQueue() throws Exception {
        Address victimAddress = HostileMember.addressOf(victim);
        mallory.send(victimAddress, mallory.helloAs(mallory.address()));
        TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(mallory.identity().id()), () -> "mallory never advertised");
        mallory.withholdCredits();
        OverlayStats before = victim.stats();
        String big = "x".repeat(60 << 10);
        int frames = 400; // 24 MB: far beyond JGroups' 4 MB of credits and the 4 MiB queue per destination
        CountDownLatch queued = new CountDownLatch(1);
        victim.eventExecutor().execute(() -> {
            // On the event thread, as a handler answering a request would: no call may block here.
            for (int i = 0; i < frames; i++) victim.send(mallory.identity().id(), new Note(i, big));
            queued.countDown();
        });
        assertThat(queued.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the event thread queued every send without blocking").isTrue();
        long honestMs = honestNotesAllArrive("while mallory does not read", 300);

        OverlayStats after = victim.stats();
        OverlayCore core = OverlayTestHooks.core(victim);
        String figures = String.format("withheld credits: %d frames of 60 KiB (%d MB) for a member that does not read -> "
                        + "dropped at the sender %d, queued %d bytes; honest peer's 300 notes all delivered in %d ms", frames, frames * 60 / 1024,
                after.outboundDropped() - before.outboundDropped(), core.outboundQueuedBytes(), honestMs);
        figure(figures);
        assertThat(after.outboundDropped() - before.outboundDropped()).as(figures).isPositive();
        assertThat(core.outboundQueuedBytes()).as(figures).isLessThanOrEqualTo(16L << 20);
        mallory.resumeReading();
    }

    /**
     * The same member in a multicast: one drainer sends a frame for many receivers round-robin (OutboundQueues.offerAll)
     * and must hand a destination whose send could block (UFC short of credits: Transport.mayBlock) to a drainer of
     * its own, or the member that does not read would hold back every other receiver of the multicast. Rounds of 20
     * frames of 60 KiB to both (1.2 MB, under the 4 MiB queue per destination), each waited for at the bystander:
     * 24 MB in all to mallory, far beyond its 4 MB of credits. With the hand-off disabled the bystander stops
     * receiving within the first rounds (checked: mayBlock forced to false).
     */
    @Test
    void aMemberThatWithholdsCreditsHoldsBackNoOtherReceiverOfAMulticast() throws Exception {
        Address victimAddress = HostileMember.addressOf(victim);
        mallory.send(victimAddress, mallory.helloAs(mallory.address()));
        TestCluster.awaitCondition(WAIT, () -> victim.directory().isOnline(mallory.identity().id()), () -> "mallory never advertised");
        mallory.withholdCredits();
        OverlayStats before = victim.stats();
        String big = "m".repeat(60 << 10);
        List<PeerId> both = List.of(mallory.identity().id(), bystander.self());
        int rounds = 20;
        int perRound = 20;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            CountDownLatch queued = new CountDownLatch(1);
            victim.eventExecutor().execute(() -> {
                // On the event thread, as the conference layer multicasts: no call may block here.
                for (int i = 0; i < perRound; i++) victim.multicast(both, new Note(round * perRound + i, big + (round * perRound + i)));
                queued.countDown();
            });
            assertThat(queued.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("round %d queued without blocking the event thread", r).isTrue();
            int last = (r + 1) * perRound - 1;
            TestCluster.awaitCondition(WAIT, () -> bystanderInbox.has(victim.self(), big + last),
                    () -> "round " + round + ": the bystander got " + bystanderInbox.from(victim.self()).size() + " of " + (last + 1)
                            + " multicast frames while mallory withholds credits");
        }
        long honestMs = (System.nanoTime() - t0) / 1_000_000;
        List<Integer> got = bystanderInbox.from(victim.self()).stream().filter(n -> n.text().startsWith("m")).map(Note::seq).toList();
        OverlayStats after = victim.stats();
        String figures = String.format("withheld credits, multicast: %d frames of 60 KiB to mallory and the bystander (%d MB each) -> "
                        + "bystander got %d in order in %d ms; dropped at the sender %d (mallory's queue)", rounds * perRound,
                rounds * perRound * 60 / 1024, got.size(), honestMs, after.outboundDropped() - before.outboundDropped());
        figure(figures);
        assertThat(got).as(figures).isEqualTo(java.util.stream.IntStream.range(0, rounds * perRound).boxed().toList());
        assertThat(after.outboundDropped() - before.outboundDropped()).as(figures + ": mallory's frames beyond its queue").isPositive();
        mallory.resumeReading();
    }

    @Test
    void incomingBytesWaitingForABusyPeerAreBoundedPerSender() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        victim.eventExecutor().execute(() -> {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        OverlayStats before = victim.stats();
        long bystanderDropped = bystander.stats().outboundDropped();
        String big = "y".repeat(60 << 10);
        // From one sender while the victim is busy: until the victim refuses some (its 4 MiB are full), at most 600
        // frames (36 MB). The sender's own queue to the victim is bounded too: when it drops, the loop waits for the
        // victim to receive more before sending on, so the frames reach the victim instead of the sender's bin.
        int frames = 0;
        long peak = 0;
        try {
            while (frames < 600 && victim.stats().drops(DropReason.OVERLOADED) == before.drops(DropReason.OVERLOADED)) {
                long outDropped = bystander.stats().outboundDropped();
                bystander.send(victim.self(), new Note(frames++, big));
                peak = Math.max(peak, victim.stats().queuedBytes());
                if (bystander.stats().outboundDropped() > outDropped) {
                    long received = victim.stats().framesReceived();
                    TestCluster.awaitCondition(WAIT, () -> victim.stats().framesReceived() > received
                                    || victim.stats().drops(DropReason.OVERLOADED) > before.drops(DropReason.OVERLOADED),
                            () -> "the victim received nothing more after frame " + received);
                }
            }
            int sent = frames;
            // The sender's own queue for the victim is bounded too: what it dropped never left.
            TestCluster.awaitCondition(WAIT, () -> victim.stats().framesReceived() - before.framesReceived()
                            >= sent - (bystander.stats().outboundDropped() - bystanderDropped),
                    () -> "received " + (victim.stats().framesReceived() - before.framesReceived()));
            peak = Math.max(peak, victim.stats().queuedBytes());
        } finally {
            release.countDown();
        }
        OverlayStats after = victim.stats();
        String figures = String.format("busy victim: %d frames of 60 KiB from one peer -> OVERLOADED %d, peak queued %d bytes (budget %d)",
                frames, after.drops(DropReason.OVERLOADED) - before.drops(DropReason.OVERLOADED), peak, 4L << 20);
        figure(figures);
        assertThat(peak).as(figures).isLessThanOrEqualTo(4L << 20);
        assertThat(after.drops(DropReason.OVERLOADED) - before.drops(DropReason.OVERLOADED)).as(figures).isPositive();
        honestNotesAllArrive("after the busy spell", 10);
    }

    @Test
    void framesBetweenPeersThatKnowEachOtherCostNoSignatureCheck() {
        // Within the victim's rate (500 a second, burst 500): 200 quiet notes, then 200 counted.
        long quietMs = honestNotesAllArrive("quiet", 200);
        figure(String.format("quiet: 200 honest notes in %d ms", quietMs));
        OverlayStats before = victim.stats();
        int n = 200;
        honestNotesAllArrive("counted", n);
        OverlayStats after = victim.stats();
        long delivered = after.framesDelivered() - before.framesDelivered();
        long signatures = after.signatureChecks() - before.signatureChecks();
        long macs = after.macChecks() - before.macChecks();
        String figures = String.format("public-key work: %d frames delivered -> %d signature checks, %d MAC checks (%.3f signatures per frame)",
                delivered, signatures, macs, (double) signatures / delivered);
        figure(figures);
        assertThat(delivered).as(figures).isGreaterThanOrEqualTo(n);
        assertThat(signatures).as(figures).isZero();
        assertThat(macs).as(figures).isEqualTo(delivered);
    }

}

package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static dev.convene.conference.internal.Scenarios.writerOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An under-report proof is written by the persistence thread (ChatWriter.saveRecords). A peer killed after finding
 * one and before its row commits must not have told others of it: a crash loses only what nobody was told about.
 * Otherwise the others settle the message unshown while the restarted peer, which still holds the message (stored
 * before) but not the proof, shows it for good: nobody sends it the proof again (it holds the message).
 */
@Timeout(120)
class ProofCrashClusterTest {
    @TempDir
    Path dir;

    private static HlcTimestamp plus(HlcTimestamp t, long seconds) {
        return new HlcTimestamp(t.wallMillis() + seconds * 1000, 0);
    }

    private static ChatEntry entry(ConferencePeer p, ConferenceId id, String text) {
        awaitText(p, id, text);
        return p.history(id).stream().filter(e -> e.text().equals(text)).findFirst().orElseThrow();
    }

    @Test
    void aPeerKilledBeforeItsProofCommitsToldNobodyOfIt() throws Exception {
        run(true);
    }

    @Test
    void aProofCommittedIsPassedOnToTheOnlineParticipants() throws Exception {
        run(false);
    }

    private void run(boolean crash) throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Path home = dir.resolve("bob");
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Proof before a crash", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                bob.say(id, "b1").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry b1 = entry(alice, id, "b1");
                cl.clock.advance(Duration.ofSeconds(30));
                alice.say(id, "a1").join().acknowledged().get(30, TimeUnit.SECONDS);
                ChatEntry a1 = entry(alice, id, "a1");
                awaitText(bob, id, "a1");

                // Mallory posts naming only b1, dated before a1: nothing contradicts it yet; bob stores it (acknowledges it).
                ChatMessage under = Fixtures.chat(mallory.identity(), id, 1, plus(b1.timestamp(), 5), key, "under-reported",
                        new Frontier(b1.id(), b1.timestamp()));
                mallory.send(bob, under);
                mallory.await(ChatAck.class, bob, "bob's acknowledgement of its message");
                awaitText(alice, id, "under-reported"); // passed on to alice (live or by anti-entropy)

                // Mallory's receipt, signed before its message: after sequence 0 it had delivered a1. Bob binds it,
                // finds the pair, settles the message unshown.
                Receipt receipt = Receipt.sign(mallory.identity(), id, 0, new Frontier(a1.id(), a1.timestamp()));
                if (!crash) {
                    mallory.send(bob, new ReceiptFrame(receipt, null));
                    await(() -> bob.stats().underReportProofs() == 1, () -> "bob proofs " + bob.stats().underReportProofs());
                    // Stored, then passed on: alice, who never saw the receipt, settles it too.
                    await(() -> alice.stats().underReportProofs() == 1, () -> "alice proofs " + alice.stats().underReportProofs());
                    await(() -> !Scenarios.texts(alice, id).contains("under-reported"), () -> "alice shows " + Scenarios.texts(alice, id));
                    assertThat(Scenarios.lines(bob, id)).isEqualTo(Scenarios.lines(alice, id));
                    return;
                }
                writerOf(bob).holdForTest(new CountDownLatch(1)); // from now on bob commits nothing
                mallory.send(bob, new ReceiptFrame(receipt, null));
                await(() -> bob.stats().underReportProofs() == 1, () -> "bob proofs " + bob.stats().underReportProofs());
                Thread.sleep(500); // what bob would send of it, it has sent by now

                bob.crash(); // the proof's row never committed
                ConferencePeer again = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
                cl.awaitDirectories(alice, again);
                Thread.sleep(3000); // a few anti-entropy rounds (1 s in tests)
                // Alice and bob agree: either both hold the proof or neither.
                assertThat(Scenarios.lines(again, id)).as("bob after the crash vs alice (alice proofs %d)", alice.stats().underReportProofs())
                        .isEqualTo(Scenarios.lines(alice, id));
            }
        }
    }
}
